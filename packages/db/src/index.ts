export { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, ne, notExists, or, sql } from "drizzle-orm";
export { DataDirLockedError, lockDataDir } from "./data-dir-lock.ts";
export { type Connection, type Database, type Db, type OpenDatabaseOptions, openDatabase } from "./open.ts";
export * as schema from "./schema/index.ts";
