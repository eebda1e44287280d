// Builds a cluster profile for the sign-in tests (parsed as the service parses it).
import { parseProfile } from '../../../main/services/cluster';
import type { ClusterProfileInput } from '../../../common/cluster/profile';

export const parseProfileForTest = (p: ClusterProfileInput) => parseProfile(p);
