/**
 * The sum of the samples of `name` in the Prometheus text at `baseUrl`/metrics whose labels
 * hold every one of `labels` (each as written there, e.g. `rpc_method="ListProjects"`).
 */
export async function metricSum(baseUrl: string, name: string, ...labels: string[]) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
