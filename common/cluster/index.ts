// Barrel for the cluster domain's pure schemas and helpers.
export * from './job';
export * from './log-lines';
export * from './monitoring';
export * from './profile';
export * from './ray';
export * from './training-config';
export * from './diagnosis';
