-- Boomerang's own database, next to Temporal's on the same PostgreSQL.
-- Mounted into /docker-entrypoint-initdb.d by temporal-dev.yml: the postgres image runs it
-- once, when the data volume is first initialised (`down -v` to start over).
CREATE ROLE boomerang LOGIN PASSWORD 'boomerang';
CREATE DATABASE boomerang OWNER boomerang;
