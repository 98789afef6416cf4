#!/usr/bin/env bash
# The mycli GitHub Action, step 1 (before anything else runs): mask every value the action will
# handle in the job's log with `::add-mask::`, one line at a time (a mask that spans lines
# would print its later lines in clear), `%` and CR escaped as the runner expects. Also checks
# that every name in `secrets` is a variable name that is set, so that nothing runs otherwise.
# Never prints a value any other way. Tested by test/action/action.test.ts, which runs the
# steps of action.yml with a fake GITHUB_OUTPUT / GITHUB_ENV.
set -euo pipefail

mask() {
  local value="$1" line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line//%/%25}"
    line="${line//$'\r'/%0D}"
    [ -n "$line" ] && printf '::add-mask::%s\n' "$line"
  done <<< "$value"
  return 0
}

names="${INPUT_SECRETS:-}"
names="${names//,/ }"
for name in $names; do
  if ! [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
    echo "::error::mycli action: \"$name\" in the secrets input is not a variable name (letters, digits and _)"
    exit 2
  fi
  if [ -z "${!name+x}" ] || [ -z "${!name}" ]; then
    echo "::error::mycli action: secret $name is not set or empty: add \`$name: \${{ secrets.$name }}\` to the env of this step"
    exit 2
  fi
  mask "${!name}"
done
for credential in CLOUDFLARE_API_TOKEN CLOUDFLARE_API_KEY MYCLI_LOCAL_KEY MYCLI_SERVE_TOKEN; do
  if [ -n "${!credential:-}" ]; then mask "${!credential}"; fi
done
