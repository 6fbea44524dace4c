/** The export used by `joinwatch export` and the bot's /export. */
export { writeExport, exportRows, type ExportFormat, type ExportKind, type ExportQuery } from './write-export.js';
export { EXPORT_COLUMNS, isoDate, toRecord, type ExportRecord, type ExportStatus } from './format.js';
