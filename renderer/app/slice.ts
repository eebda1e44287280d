// The type every feature slice creator has, so slices can read and write the whole store.
import type { StateCreator } from 'zustand';
import type { RootState } from './store';

export type SliceCreator<S> = StateCreator<RootState, [], [], S>;
