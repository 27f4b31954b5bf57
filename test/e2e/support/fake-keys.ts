// The bench makes the same keys; one definition (scripts/bench/fixtures.mjs, typed by fixtures.d.mts).
export { fakeKeys } from '../../../scripts/bench/fixtures.mjs';
