/**
 * The hint for SQLSTATE 53300, from the server's message: which limit was reached tells what the connecting role
 * may do (a role refused a reserved slot is not a superuser), and who can free a slot.
 */
export function tooManyConnectionsHint(message: string, user?: string): string {
  const role = user ? `role "${user}"` : 'this role'
  const see =
    "see them with `fluxadmin activity` (other roles' queries need pg_read_all_stats) and end idle ones with `fluxadmin backend terminate` (other roles' sessions need pg_signal_backend, a superuser's need superuser)"
  const forRole = /too many connections for role "([^"]*)"/.exec(message)
  if (forRole)
    return `${role} reached its own CONNECTION LIMIT; connect as another role to ${see}, or raise it: ALTER ROLE ${forRole[1]} CONNECTION LIMIT n`
  const forDatabase = /too many connections for database "([^"]*)"/.exec(message)
  if (forDatabase)
    return `database ${forDatabase[1]} reached its CONNECTION LIMIT; connect to another database to ${see}, or ALTER DATABASE ${forDatabase[1]} CONNECTION LIMIT n`
  if (/pg_use_reserved_connections/.test(message)) {
    return `the slots left are reserved (reserved_connections for pg_use_reserved_connections members, superuser_reserved_connections for superusers), and ${role} may use neither; connect as such a role to ${see}, or put PgBouncer in front`
  }
  if (/reserved for (non-replication superuser connections|roles with the SUPERUSER attribute)/.test(message)) {
    return `the slots left are reserved for superusers (superuser_reserved_connections; on PostgreSQL 16+ also reserved_connections for pg_use_reserved_connections members), and ${role} is not one; connect as a superuser to ${see}, or put PgBouncer in front`
  }
  return 'every slot is taken, those reserved for superusers (superuser_reserved_connections) too: even a superuser cannot connect; stop a client or its pool, or end sessions from one already connected (pg_terminate_backend), then raise max_connections (a restart) or put PgBouncer in front'
}
