import type { StatusCategory } from "@pmo/contracts";

/** Named colours shared by the html/svg and pdf renderers (chosen for contrast on white and in greyscale print). */
export const PALETTE = {
  blue: "#2563eb",
  teal: "#0d9488",
  amber: "#d97706",
  red: "#dc2626",
  violet: "#7c3aed",
  slate: "#64748b",
  green: "#16a34a",
  grey: "#94a3b8",
  ink: "#1e293b",
  muted: "#64748b",
  grid: "#e2e8f0",
  axis: "#94a3b8",
} as const;
export type PaletteColor = keyof typeof PALETTE;

export function colorOf(name: string): string {
  return (PALETTE as Record<string, string>)[name] ?? PALETTE.slate;
}

export const STATUS_COLORS: Record<StatusCategory, PaletteColor> = {
  backlog: "grey",
  todo: "slate",
  in_progress: "blue",
  in_review: "violet",
  done: "green",
  cancelled: "red",
};
