// Loads better-sqlite3-multiple-ciphers with URI filenames enabled (the backup API keys its target through a URI).
// Everything in the store imports the addon through this file so the setting is in place first.
import './uri-env';
import Sqlite from 'better-sqlite3-multiple-ciphers';

export type Database = Sqlite.Database;
export type Statement = Sqlite.Statement;
export { Sqlite };
