export { planeAgent, PLANE_DEFAULT_QUOTA } from "./definition.js";
export { PlaneClient, quotaHeaders, type PlaneCall, type PlanePage } from "./client.js";
export { StatusMapper } from "./status-mapping.js";
export { planeSettings, PlaneSettingsSchema, type PlaneSettings } from "./settings.js";
export { normaliseWorkItem } from "./normalise.js";
export { planeWebhookAdapter, normalisePlaneDelivery, verifyPlaneSignature, PLANE_SIGNATURE_HEADER } from "./webhook.js";
export { operationKey, EXTERNAL_SOURCE } from "./manage.js";
export { containerKey } from "./collect.js";
