import { z } from "zod";

export const Platform = { ClickUp: "clickup", GitHub: "github", Plane: "plane" } as const;
export type Platform = (typeof Platform)[keyof typeof Platform];
export const PLATFORMS = Object.values(Platform) as [Platform, ...Platform[]];
export const PlatformSchema = z.enum(PLATFORMS);
