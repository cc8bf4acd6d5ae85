// The generated network the browser benchmarks load: `nodes` nodes over 3 regions of
// 3 AZs each (dealt round-robin, one node in five API, the rest PEERs with stake 1),
// behind a load balancer at 0.2 writes/s, with one AZ outage of ap-northeast-1a.
export function benchNetwork({ name, nodes, duration, outageAt, outageUntil }) {
    const regions = ["ap-northeast-1", "ap-northeast-3", "ap-southeast-1"].map((id) => ({
        id,
        azs: ["a", "c", "d"].map((zone) => ({ id: `${id}${zone}`, nodes: [] })),
    }));
    for (let index = 0; index < nodes; index += 1) {
        const api = index % 5 === 4;
        const slot = index % 9;
        regions[Math.floor(slot / 3)].azs[slot % 3].nodes.push(
            api ? { id: `api${index + 1}`, role: "API" } : { id: `peer${index + 1}`, role: "PEER", stake: 1 },
        );
    }
    return {
        version: 1,
        name,
        seed: 1,
        duration,
        regions,
        clients: { transactions_per_second: 0.2, entry_point: { kind: "load_balancer", targets: [] } },
        faults: [{ kind: "az_outage", az: "ap-northeast-1a", at: outageAt, until: outageUntil }],
    };
}
