import * as awsConfig from "@pulumi/aws/config/vars";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { AWS_JSON_KEYS, parseAwsProviderSettings } from "../config/aws-provider-settings";
import { ConfigError } from "../config/errors";
import { AWS_CONFIG_KEYS } from "../config/namespaces";
import { REDACTED_SECRET, toPlanJson } from "../offline/report";
import { readStackConfig } from "../offline/stack-files";
import { planError, runPlan } from "./helpers/plan";

const PROVIDER = "pulumi:providers:aws";

describe("aws: config reaches every per-account provider", () => {
    it("reads the value types @pulumi/aws reads: JSON for exactly the keys its getters parse as JSON", () => {
        // Every key set to the text "1": a getter that parses JSON (getObject) returns the number 1, one that reads a string returns "1".
        const saved = pulumi.runtime.allConfig();
        try {
            pulumi.runtime.setAllConfig(Object.fromEntries(AWS_CONFIG_KEYS.map((k) => [`aws:${k}`, "1"])));
            const getters = awsConfig as unknown as Record<string, unknown>;
            const parsedAsJson = AWS_CONFIG_KEYS.filter((k) => getters[k] === 1);
            const readAsString = AWS_CONFIG_KEYS.filter((k) => getters[k] === "1");
            expect([...parsedAsJson, ...readAsString].sort()).to.deep.equal([...AWS_CONFIG_KEYS]);
            expect(parsedAsJson.sort()).to.deep.equal(Object.keys(AWS_JSON_KEYS).sort());
        } finally {
            pulumi.runtime.setAllConfig(saved);
        }
    });

    it("passes every other aws: key through, typed, with static credentials marked secret", () => {
        const settings = parseAwsProviderSettings({
            "aws:region": "eu-west-1",
            "aws:profile": "org-admin",
            "aws:maxRetries": "25",
            "aws:sharedConfigFiles": '["/etc/aws/config"]',
            "aws:skipMetadataApiCheck": "false",
            "aws:endpoints": '[{"sts":"https://sts.eu-west-1.amazonaws.com"}]',
            "aws:accessKey": "AKIAEXAMPLE",
            "aws:defaultTags": '{"tags":{"CostCenter":"platform"}}',
            "org-access:accessAccount": "access",
        });
        expect(settings.values).to.deep.equal({
            profile: "org-admin",
            maxRetries: 25,
            sharedConfigFiles: ["/etc/aws/config"],
            skipMetadataApiCheck: false,
            endpoints: [{ sts: "https://sts.eu-west-1.amazonaws.com" }],
            accessKey: "AKIAEXAMPLE",
        });
        expect(settings.secrets).to.deep.equal(["accessKey"]);
        expect(settings.extraTags).to.deep.equal({ CostCenter: "platform" });
    });

    const rejected: [string, string, string][] = [
        ["aws:allowedAccountIds", '["222222222222"]', "every provider is pinned to its own account"],
        ["aws:forbiddenAccountIds", '["222222222222"]', "every provider is pinned to its own account"],
        ["aws:assumeRoles", '[{"roleArn":"arn:aws:iam::1:role/x"}]', "set those instead"],
        ["aws:maxRetries", "many", '"many" is not a number'],
        ["aws:skipMetadataApiCheck", '"yes"', "is not true or false"],
        ["aws:sharedConfigFiles", '"/etc/aws/config"', "is not a list of strings"],
        ["aws:defaultTags", '{"tags":{"managed-by":"me"}}', '"managed-by" is a tag the program sets'],
        ["aws:defaultTags", '{"tag":{"a":"b"}}', 'has "tag"; only "tags" is read'],
    ];
    for (const [key, value, says] of rejected) {
        it(`rejects ${key} = ${value}, naming the key and the value`, () => {
            expect(() => parseAwsProviderSettings({ [key]: value }))
                .to.throw(ConfigError)
                .with.property("message")
                .that.satisfies((m: string) => m.startsWith(key) && m.includes(says) && !m.includes("\n"));
        });
    }

    it("plans every provider with the stack's aws: settings and tags, pinned as before", async () => {
        const plan = await runPlan({
            stack: "access",
            config: {
                ...readStackConfig("access"),
                "aws:profile": "org-admin",
                "aws:maxRetries": "25",
                "aws:defaultTags": '{"tags":{"CostCenter":"platform"}}',
                "aws:accessKey": "AKIAEXAMPLE",
            },
        });
        const planJson = toPlanJson(plan);
        const providers = plan.resources.filter((r) => r.type === PROVIDER);
        expect(providers.length).to.be.greaterThan(1);
        for (const provider of providers) {
            expect(provider.inputs.profile, provider.name).to.equal("org-admin");
            expect(JSON.parse(String(provider.inputs.maxRetries)), provider.name).to.equal(25);
            const tags = (JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> }).tags;
            expect(tags, provider.name).to.include({ CostCenter: "platform", "managed-by": "pulumi" });
            expect(JSON.parse(String(provider.inputs.allowedAccountIds)), provider.name).to.have.length(1);
            // A credential reaches the provider as a Pulumi secret (encrypted in state), and the plan JSON never shows it.
            expect(provider.inputs.accessKey, provider.name).to.deep.equal({
                [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
                value: "AKIAEXAMPLE",
            });
            expect(planJson.resources.find((r) => r.urn === provider.urn)?.inputs.accessKey).to.equal(REDACTED_SECRET);
        }
        expect(JSON.stringify(planJson)).not.to.contain("AKIAEXAMPLE");
    });

    it("rejects an aws: key the program owns before registering anything", async () => {
        const message = await planError("access", { ...readStackConfig("access"), "aws:allowedAccountIds": '["222222222222"]' });
        expect(message).to.match(/^aws:allowedAccountIds: \["222222222222"\] is set by the program/);
    });
});
