import { describe } from 'vitest';
import { NPM_TEST_SEEDS, seedRange } from './seed-suite.js';

describe('model check (first half of the seeds)', () => seedRange(1, NPM_TEST_SEEDS / 2));
