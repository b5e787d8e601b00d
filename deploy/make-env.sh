#!/bin/sh
# Prints .env.example with a fresh random value in every empty *_PASSWORD= line:
#   deploy/make-env.sh > .env
# Platform tokens stay empty: add yours to .env afterwards.
set -eu
example="$(dirname "$0")/../.env.example"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    # A letter first: nats-server parses the value, and one starting with a digit is read as a number.
    *_PASSWORD=) printf '%spmo%s\n' "$line" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$example"
