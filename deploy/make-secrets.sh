#!/bin/sh
# Prints a fresh random secret for every role of the compose stack, as the
# .env file docker compose reads beside docker-compose.yml:
#
#   sh deploy/make-secrets.sh > .env
#
# Each service gets its own: database owner and runtime passwords, worker and
# API broker passwords, audit key. Keep .env out of version control (it is in
# .gitignore) and out of images; in Kubernetes the same values live in the
# Secrets deploy/README.md lists.
set -eu
token() {  # 32 random bytes, URL-safe (they go into database and AMQP URLs)
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}
echo "POSTGRES_PASSWORD=$(token)"
echo "RABBITMQ_ADMIN_PASSWORD=$(token)"
for service in ${CAREBRIDGE_SERVICES:-patients careplans scheduling billing notifications monitoring}; do
  upper=$(echo "$service" | tr '[:lower:]-' '[:upper:]_')
  for secret in DB_OWNER_PASSWORD DB_PASSWORD BROKER_PASSWORD API_BROKER_PASSWORD AUDIT_HMAC_KEY; do
    echo "${upper}_${secret}=$(token)"
  done
done
