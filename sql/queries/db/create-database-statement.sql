-- Builds a safely quoted CREATE DATABASE statement (DDL takes no bind parameters).
-- $1: database name text
-- $2: template database name text or null
-- returns: sql text
SELECT format('CREATE DATABASE %I', $1::text) || CASE WHEN $2::text IS NULL THEN '' ELSE format(' TEMPLATE %I', $2::text) END AS sql
