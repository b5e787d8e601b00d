import type { ChangeRules } from "@pmo/platform-agent";
import { deletionEvent, itemEvent } from "./change-events.js";

/** Plane's rules for the kit's ChangeLog: an item whose `updated_at` did not move has not changed. */
export const PLANE_CHANGE_RULES: ChangeRules = { event: itemEvent, stamp: (item) => item.updatedAt, deletion: deletionEvent };
