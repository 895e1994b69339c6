#!/bin/sh
# How this app is started without compose: the same hardening as compose.yaml.
set -eu

docker network create app 2>/dev/null || true
docker run -d --name web \
  --read-only --tmpfs /tmp:size=16m \
  --cap-drop ALL \
  --security-opt no-new-privileges \
  --user 10001:10001 \
  --memory 256m --pids-limit 128 --cpus 0.5 \
  --network app \
  -p 127.0.0.1:8000:8000 \
  --health-cmd "python -c 'import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:8000/healthz\")'" \
  --restart on-failure:5 \
  registry.example.com/hardened-webapp@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904f2cb6a1c2b3d5e7f9a1c3e5f
