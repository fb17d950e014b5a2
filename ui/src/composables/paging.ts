/** Largest page the backend serves (hearing-core `paging::MAX_PAGE_SIZE`). */
export const MAX_PAGE_SIZE = 200
export const PAGE_SIZES = [20, 50, 100]
