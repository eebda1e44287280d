// Barrel for the provider domain types (pure, platform-free).
export * from './types';
export * from './config';
export * from './pricing';
export * from './provider';
export * from './tokens';
export * from './usage-aggregate';
