// The image's HEALTHCHECK (and docker-compose.yml's): GET /healthz of the service in this container.
// Plain Node (the slim image has no curl or wget); exit 0 = healthy, 1 = not.
const port = process.env.PMO_HTTP_PORT || "8080";
const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_500) }).catch(() => null);
process.exit(res?.ok ? 0 : 1);
