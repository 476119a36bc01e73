#!/bin/sh
# One database and one role per service, each owning only its own database
# (a service never reads another's tables). Run once by the postgres image on
# an empty data directory (/docker-entrypoint-initdb.d), or by hand:
#   PGHOST=... PGUSER=postgres CAREBRIDGE_DB_PASSWORD=... sh init-databases.sh
set -eu
: "${CAREBRIDGE_DB_PASSWORD:?set CAREBRIDGE_DB_PASSWORD}"

for service in patients careplans scheduling billing notifications; do
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${service}') THEN
    CREATE ROLE ${service} LOGIN PASSWORD '${CAREBRIDGE_DB_PASSWORD}';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE ${service} OWNER ${service}'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${service}')\gexec
REVOKE ALL ON DATABASE ${service} FROM PUBLIC;
SQL
done

# Scheduling's no-double-booking exclusion constraint needs btree_gist.
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname scheduling \
  -c "CREATE EXTENSION IF NOT EXISTS btree_gist"
