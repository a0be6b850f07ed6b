import { importSessions } from '/work/main/src/sessions/import.ts';
import { RootPaths } from '/work/main/src/core/root.ts';
const t = performance.now();
const r = await importSessions(new RootPaths(process.argv[2]!), ['/tmp/few/*.log'], { workers: Number(process.argv[3]) });
console.log('import', process.argv[3], ((performance.now() - t) / 1000).toFixed(1), 's', r.imported.length);
