/**
 * When this process last accepted a verified ClickUp delivery. The webhook adapter is a static
 * object the shared receiver calls only for verified deliveries, so it records here; the poller
 * reads it (and shares it with replicas through its cursor) to know whether webhooks went silent.
 */
export const webhookActivity = { lastAcceptedAt: 0 };
