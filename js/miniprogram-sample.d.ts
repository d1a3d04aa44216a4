// Types of the mini-program sample data (`require('goods-ranker/sample')` after 构建 npm;
// the file is miniprogram/sample.js in the package): the sample catalog of
// goods-ranker/sample (200 offers, Beijing 望京 community group-buying) and its users.
import type { CatalogInput, UserInput } from '../goods_ranker.js';

export type SampleUserId = 'office-worker' | 'grandma' | 'parent' | 'student' | 'newcomer';

/** The ids `sampleUser` accepts. */
export const SAMPLE_USER_IDS: SampleUserId[];
/** The sample catalog with its sale windows placed around `now` (epoch ms). */
export function catalogAt(now: number): CatalogInput;
/** A sample user, with purchase-history times placed relative to `now` (epoch ms). */
export function sampleUser(id: SampleUserId, now: number): { id: SampleUserId; name: string; user: UserInput };
