// Summarises a V8 .cpuprofile by where the code lives (package or project folder), self time only:
// `npx tsx bench/e2e/profile-summary.ts <file.cpuprofile>`. Used to name what the pipeline spends CPU on.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@aws-sdk/client-sqs/...` → `@aws-sdk/client-sqs`; project files by top folder. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName ? `(${functionName})` : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return url.split('/')[0];
  const project = url.match(/\/(functions|local|bench|cli)\/([^/]+)/);
  return project ? `${project[1]}/${project[2]}` : url;
}

export function summarizeProfile(profile: CpuProfile, top = 15): Array<{ owner: string; ms: number; share: number }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totals.set(owner, (totals.get(owner) ?? 0) + ms);
    all += ms;
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([owner, ms]) => ({ owner, ms: Math.round(ms), share: Math.round((ms / all) * 1000) / 10 }));
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile>');
  console.table(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 25));
}
