import { PolicyPack } from "@pulumi/policy";

// The baseline for `npm run bench`: same server, same protocol, one policy that looks at nothing.
new PolicyPack("noop-baseline", {
    policies: [
        {
            name: "noop",
            description: "Accepts every resource.",
            enforcementLevel: "advisory",
            validateResource: () => undefined,
        },
    ],
});
