export { buildApp } from "./app.js";
export { redactUrl } from "./redact.js";
export { configFromEnv, type ServerConfig } from "./config.js";
export { ERROR_STATUS, errorToProblem, problem, type Problem } from "./problem.js";
export { runFsck, fsckDataFolder, type FsckResult, type FsckProblem, type CommandResult } from "./fsck.js";
export { runRestore, backupTo, verifyBackup, type BackupManifest } from "./backup.js";
export {
  exportTiles,
  followTiles,
  httpTileSource,
  type TileSource,
  type ExportResult,
} from "./cli/tiles-export.js";
export { runMigrate, MIGRATE_STEPS, type MigrateStep, type MigrateContext } from "./migrate.js";
export { openPgStorage, type PgStorage } from "./storage-pg.js";
