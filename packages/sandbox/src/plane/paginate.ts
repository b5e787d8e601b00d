/**
 * Plane's cursor pagination, reproduced from `apps/api/plane/utils/paginator.py`
 * (`BasePaginator.paginate` + `OffsetPaginator.get_result` + `Cursor`), including its quirks:
 * - cursor = "{per_page}:{page}:{is_prev}"; the offset is `page * per_page` (the cursor's own size is
 *   ignored), default cursor "{per_page}:0:0";
 * - `next_cursor`/`prev_cursor` are always present ("N:-1:1" on the first page); only
 *   `next_page_results`/`prev_page_results` say whether to follow them;
 * - `total_count` = `total_results` = the whole (unfiltered) set, `total_pages` = ceil(total / per_page).
 */
import { PlaneErrors } from "./errors.js";

/** `get_per_page(default_per_page=1000, max_per_page=1000)` in this Plane snapshot. */
export const DEFAULT_PER_PAGE = 1000;
/** @default 1000 — above it Plane answers 400 "Invalid per_page value. Cannot exceed 1000." */
export const MAX_PER_PAGE = 1000;

export interface PlanePage<T> {
  grouped_by: null;
  sub_grouped_by: null;
  total_count: number;
  next_cursor: string;
  prev_cursor: string;
  next_page_results: boolean;
  prev_page_results: boolean;
  count: number;
  total_pages: number;
  total_results: number;
  extra_stats: null;
  results: T[];
}

/** Python's `int(text)`: surrounding whitespace, a sign, and digit-group underscores are accepted. */
function pythonInt(text: string): number | null {
  const trimmed = text.trim();
  return /^[+-]?\d+(_\d+)*$/.test(trimmed) ? Number(trimmed.replace(/_/g, "")) : null;
}

/** Python's `float(text)` for the cursor's first part (which contains a "."). */
function pythonFloat(text: string): number | null {
  const trimmed = text.trim().replace(/(\d)_(?=\d)/g, "$1");
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : null;
}

export function parsePerPage(query: URLSearchParams): number {
  const raw = query.get("per_page");
  if (raw === null) return DEFAULT_PER_PAGE;
  const perPage = pythonInt(raw);
  if (perPage === null) throw PlaneErrors.badRequest("Invalid per_page parameter.");
  if (perPage > MAX_PER_PAGE) throw PlaneErrors.badRequest(`Invalid per_page value. Cannot exceed ${MAX_PER_PAGE}.`);
  // Plane has no lower bound: 0 divides by zero in `math.ceil(count / limit)` and a negative size
  // makes Django refuse a negative slice, both uncaught → BaseAPIView's generic 500.
  if (perPage <= 0) throw PlaneErrors.serverError();
  return perPage;
}

interface Cursor {
  value: number;
  page: number;
  isPrev: boolean;
}

export function parseCursor(raw: string): Cursor {
  const bits = raw.split(":");
  const value = bits.length === 3 ? (bits[0]!.includes(".") ? pythonFloat(bits[0]!) : pythonInt(bits[0]!)) : null;
  const page = bits.length === 3 ? pythonInt(bits[1]!) : null;
  const isPrev = bits.length === 3 ? pythonInt(bits[2]!) : null;
  if (value === null || page === null || isPrev === null) throw PlaneErrors.badRequest("Invalid cursor parameter.");
  return { value, page, isPrev: isPrev !== 0 };
}

/** Pages `rows` (already filtered and ordered) and renders only the page's rows. */
export function paginate<Row, Out>(
  query: URLSearchParams,
  rows: readonly Row[],
  render: (row: Row) => Out,
  totalCount: number = rows.length,
): PlanePage<Out> {
  const perPage = parsePerPage(query);
  const cursor = parseCursor(query.get("cursor") ?? `${perPage}:0:0`);
  const offset = cursor.page * perPage;
  if (offset < 0) throw PlaneErrors.badRequest("Error in parsing"); // BadPaginationError → ParseError
  // `results[-(limit + 1):]` on a sliced queryset: Django refuses negative indexing → generic 500.
  if (cursor.isPrev && cursor.value !== perPage) throw PlaneErrors.serverError();
  const window = rows.slice(offset, offset + perPage + 1);
  const results = window.slice(0, perPage).map(render);
  return {
    grouped_by: null,
    sub_grouped_by: null,
    total_count: totalCount,
    next_cursor: `${perPage}:${cursor.page + 1}:0`,
    prev_cursor: `${perPage}:${cursor.page - 1}:1`,
    next_page_results: window.length > perPage,
    prev_page_results: cursor.page > 0,
    count: results.length,
    total_pages: Math.ceil(totalCount / perPage),
    total_results: totalCount,
    extra_stats: null,
    results,
  };
}
