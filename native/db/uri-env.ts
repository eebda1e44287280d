// Side-effect module: turns on SQLite URI filenames before the addon loads (it reads SQLITE_USE_URI once, at load).
process.env.SQLITE_USE_URI = '1';
export {};
