import { analyzeRepo } from './src/analyze/analyze.js';
import { DiskReader } from './src/reader/disk-reader.js';
import { resolveConfig } from './src/model/decisions.js';
import { renderAppFiles } from './src/render/render.js';
const f = analyzeRepo(new DiskReader(process.argv[2]));
for (const [p, c] of renderAppFiles(f, resolveConfig(f, {}))) { console.log('=====', p); console.log(c); }
