import { describe } from 'vitest';
import { NPM_TEST_SEEDS, seedRange } from './seed-suite.js';

describe('model check (second half of the seeds)', () => seedRange(NPM_TEST_SEEDS / 2 + 1, NPM_TEST_SEEDS / 2));
