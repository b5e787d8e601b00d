/**
 * The workspace's custom fields (ClickUpLayout.customFields) in ClickUp's wire shapes: the field
 * definitions of GET /list/{id}/field, the `custom_fields` entries of a task, and the conversion
 * of written values (create task `custom_fields`, POST /task/{id}/field/{field_id}) back to the
 * truth's plain values (drop_down → option name, date → ms, number → number, short_text → string).
 */
import { createHash } from "node:crypto";
import type { ClickUpLayout, TruthItem } from "../truth/model.js";

type FieldDef = ClickUpLayout["customFields"][number];

const OPTION_COLORS = ["#04A9F4", "#FF7FAB", "#2ecd6f", "#f9d900", "#e50000", "#7C4DFF"];

/** Stable uuid-shaped option id, so the same truth always serves the same option ids. */
function optionId(fieldId: string, name: string): string {
  const h = createHash("sha256").update(`${fieldId}:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function options(field: FieldDef): { id: string; name: string; color: string; orderindex: number }[] {
  return (field.options ?? []).map((name, orderindex) => ({ id: optionId(field.id, name), name, color: OPTION_COLORS[orderindex % OPTION_COLORS.length]!, orderindex }));
}

export class CustomFieldCatalog {
  /** Field definitions rendered once: they never change while the truth lives. */
  private readonly rendered: Map<string, Record<string, unknown>>;

  constructor(
    private readonly fields: readonly FieldDef[],
    /** When the fields were created: before any task, so date_created never postdates a value. */
    private readonly createdAt: number,
  ) {
    this.rendered = new Map(fields.map((f) => [f.id, this.render(f)]));
  }

  byId(id: string): FieldDef | undefined {
    return this.fields.find((f) => f.id === id);
  }

  /** GET /list/{list_id}/field entries. */
  definitions(): Record<string, unknown>[] {
    return this.fields.map((f) => this.definition(f));
  }

  private definition(f: FieldDef): Record<string, unknown> {
    return structuredClone(this.rendered.get(f.id)!);
  }

  private render(f: FieldDef): Record<string, unknown> {
    const type_config = f.type === "drop_down" ? { default: 0, placeholder: null, new_drop_down: true, options: options(f) } : {};
    return { id: f.id, name: f.name, type: f.type, type_config, date_created: String(this.createdAt), hide_from_guests: false, required: false };
  }

  /** A task's `custom_fields`: every field, with `value` only when set (as ClickUp omits unset values). */
  taskValues(item: TruthItem): Record<string, unknown>[] {
    return this.fields.map((f) => {
      const entry = this.rendered.get(f.id)!; // shared, never mutated: spread below when a value is added
      const raw = item.customFields[f.name];
      if (raw === null || raw === undefined) return entry;
      return { ...entry, value: this.wireValue(f, raw) };
    });
  }

  private wireValue(f: FieldDef, raw: string | number): unknown {
    switch (f.type) {
      case "drop_down":
        return (f.options ?? []).indexOf(String(raw)); // ClickUp reads back a drop_down as its option orderindex
      case "number":
      case "date":
        return String(raw); // both come back as decimal strings
      case "short_text":
        return String(raw);
    }
  }

  /** Converts a written value to the truth's plain value; `undefined` = not acceptable for this field. */
  truthValue(f: FieldDef, value: unknown): string | number | null | undefined {
    if (value === null) return null;
    switch (f.type) {
      case "drop_down": {
        const opts = options(f);
        const byId = opts.find((o) => o.id === value);
        const byIndex = typeof value === "number" ? opts.find((o) => o.orderindex === value) : undefined;
        return (byId ?? byIndex)?.name;
      }
      case "number": {
        const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
        return typeof n === "number" && Number.isFinite(n) ? n : undefined;
      }
      case "date":
        return typeof value === "number" && Number.isInteger(value) ? value : undefined;
      case "short_text":
        return typeof value === "string" ? value : undefined;
    }
  }
}
