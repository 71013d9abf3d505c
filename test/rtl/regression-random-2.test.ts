import { ALL_SEEDS, randomRegression } from './random-regression.js';

randomRegression(ALL_SEEDS.filter((s) => s > 12));
