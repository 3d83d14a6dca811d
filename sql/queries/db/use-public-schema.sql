-- Migrations create objects in public whatever the role's search_path ("$user" may name a schema).
SELECT set_config('search_path', 'public', true)
