#!/bin/sh
# How this app is started on the legacy host: the same mistakes as compose.yaml, by hand.
set -eu

docker build -t insecure-webapp .
docker run -d --name web \
  --privileged \
  --cap-add=SYS_ADMIN \
  -p 80:8000 \
  -v /var/run/docker.sock:/var/run/docker.sock \
  -e API_TOKEN=ghp_8fK2mQ9xL4vR7tY1wZ3nB6cD0eH5jP2sA9uE \
  --restart always \
  insecure-webapp
