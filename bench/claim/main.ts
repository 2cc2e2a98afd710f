// Runs the claim section alone and prints its JSON (progress goes to stderr):
//   npx tsx bench/claim/main.ts [--quick] [--claimers=1,64] [--strategies=naive,sharded] [--step-ms=3000]
//     [--shards=N] [--store=candidatesPerRead=3+spareTtlMs=0] [--variant=name:spareTtlMs=0 ...] [--no-growth]
import { runClaimBench, type ClaimBenchTuning } from './run-claim-bench';
import type { StrategyName } from './strategies';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const args = (name: string) => process.argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const arg = (name: string) => args(name)[0];
const list = (value?: string) => value?.split(',').map((v) => v.trim()).filter(Boolean);
/** `candidatesPerRead=3+spareTtlMs=0` → { candidatesPerRead: 3, spareTtlMs: 0 } */
const storeOptions = (spec: string) => Object.fromEntries(spec.split('+').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));

const tuning: ClaimBenchTuning = {
  shards: arg('shards') ? Number(arg('shards')) : undefined,
  storeOptions: arg('store') ? storeOptions(arg('store')) : undefined,
  variants: args('variant').length
    ? Object.fromEntries(args('variant').map((v) => [v.slice(0, v.indexOf(':')), storeOptions(v.slice(v.indexOf(':') + 1))]))
    : undefined,
  claimers: list(arg('claimers'))?.map(Number),
  strategies: list(arg('strategies')) as StrategyName[] | undefined,
  stepMs: arg('step-ms') ? Number(arg('step-ms')) : undefined,
  skipGrowth: process.argv.includes('--no-growth'),
};

runClaimBench({ quick: process.argv.includes('--quick'), log: (line) => console.error(line) }, tuning)
  .then((result) => console.log(JSON.stringify(result, null, 2)))
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
