export { clickUpAgent, CLICKUP_DEFAULT_QUOTA } from "./definition.js";
export { normaliseClickUpDelivery, CLICKUP_SIGNATURE_HEADER } from "./webhook.js";
export { ClickUpSettingsSchema, DEFAULT_STATUS_RULES, DEFAULT_PRIORITY_MAP } from "./settings.js";
