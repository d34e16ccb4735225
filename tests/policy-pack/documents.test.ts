import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { resourceAccounts } from "../../policy-pack/accounts";
import { readOrganizationConfig } from "../../policy-pack/config";
import { actionPatternMatches, countNonWhitespaceCharacters, parsePolicyDocument } from "../../policy-pack/documents";
import {
    ACCESS_IDENTITY_RESOURCE_TYPES,
    COMPUTE_RESOURCE_TYPES,
    IDENTITY_POLICY_PROPERTIES,
    RESOURCE_POLICY_PROPERTIES,
} from "../../policy-pack/resource-types";

describe("policy document parsing", () => {
    const statement = { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*" };
    const cases: ReadonlyArray<{ name: string; raw: unknown; statements?: number; error?: RegExp }> = [
        { name: "a JSON string", raw: JSON.stringify({ Statement: [statement] }), statements: 1 },
        { name: "an object", raw: { Statement: [statement, statement] }, statements: 2 },
        { name: "Statement as a single object", raw: { Statement: statement }, statements: 1 },
        { name: "invalid JSON", raw: "{", error: /not valid JSON/ },
        { name: "no Statement", raw: { Version: "2012-10-17" }, error: /no Statement/ },
        { name: "a bad Effect", raw: { Statement: { ...statement, Effect: "allow" } }, error: /Effect/ },
        { name: "a numeric principal", raw: { Statement: { ...statement, Principal: { AWS: 1 } } }, error: /Principal\.AWS/ },
        { name: "a non-object condition", raw: { Statement: { ...statement, Condition: "x" } }, error: /Condition/ },
    ];
    for (const { name, raw, statements, error } of cases) {
        it(name, () => {
            const parsed = parsePolicyDocument(raw);
            if (error !== undefined) {
                expect(parsed.ok).to.equal(false);
                expect(parsed.ok ? "" : parsed.reason).to.match(error);
            } else {
                expect(parsed.ok && parsed.document.statements.length).to.equal(statements);
            }
        });
    }

    it("normalises principals and condition values to string lists", () => {
        const parsed = parsePolicyDocument({ Statement: { ...statement, Principal: { AWS: "a" }, Condition: { Bool: { "aws:SecureTransport": true } } } });
        expect(parsed.ok && parsed.document.statements[0].principal).to.deep.equal({ AWS: ["a"] });
        expect(parsed.ok && parsed.document.statements[0].conditions).to.deep.equal([{ operator: "Bool", key: "aws:SecureTransport", values: ["true"] }]);
    });
});

describe("policy size counting", () => {
    it("ignores all white space, as AWS does", () => {
        expect(countNonWhitespaceCharacters('{ "a" :\n\t"b c" }')).to.equal(10);
    });
});

describe("action patterns", () => {
    const cases: ReadonlyArray<[string, string, boolean]> = [
        ["sts:AssumeRole", "sts:AssumeRole", true],
        ["sts:*", "sts:AssumeRole", true],
        ["*", "sts:AssumeRole", true],
        ["STS:assumerole", "sts:AssumeRole", true],
        ["sts:Assume?ole", "sts:AssumeRole", true],
        ["sts:AssumeRole", "sts:AssumeRoleWithSAML", false],
        ["sts.*", "sts:AssumeRole", false],
    ];
    for (const [pattern, action, matches] of cases) {
        it(`${pattern} ${matches ? "matches" : "does not match"} ${action}`, () => {
            expect(actionPatternMatches(pattern, action)).to.equal(matches);
        });
    }
});

describe("resource account resolution", () => {
    const cases: ReadonlyArray<{ name: string; props: Record<string, unknown> | undefined; accounts?: string[] }> = [
        { name: "allowedAccountIds as the JSON string @pulumi/aws registers", props: { allowedAccountIds: '["111111111111"]' }, accounts: ["111111111111"] },
        { name: "allowedAccountIds as an array", props: { allowedAccountIds: ["111111111111", "222222222222"] }, accounts: ["111111111111", "222222222222"] },
        {
            name: "the last role of assumeRoles (JSON string)",
            props: { assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::333333333333:role/a" }, { roleArn: "arn:aws:iam::444444444444:role/b" }]) },
            accounts: ["444444444444"],
        },
        { name: "allowedAccountIds wins over assumeRoles", props: { allowedAccountIds: '["111111111111"]', assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::444444444444:role/b" }]) }, accounts: ["111111111111"] },
        { name: "web identity role", props: { assumeRoleWithWebIdentity: JSON.stringify({ roleArn: "arn:aws-us-gov:iam::555555555555:role/ci" }) }, accounts: ["555555555555"] },
        { name: "an empty allowedAccountIds", props: { allowedAccountIds: "[]" } },
        { name: "nothing pinned", props: { region: "us-east-1" } },
        { name: "no provider", props: undefined },
    ];
    for (const { name, props, accounts } of cases) {
        it(name, () => {
            const resolved = resourceAccounts(props);
            expect(resolved.known ? resolved.accountIds : undefined).to.deep.equal(accounts);
        });
    }
});

describe("organization config", () => {
    it("defaults to no accounts and no organization", () => {
        expect(readOrganizationConfig({})).to.deep.equal({ managementAccountIds: [], accessAccountIds: [], organizationId: undefined });
    });
    const invalid: ReadonlyArray<[string, unknown]> = [
        ["a short account id", { managementAccountIds: ["1234"] }],
        ["a string instead of a list", { managementAccountIds: "111111111111" }],
        ["a bad organization id", { organizationId: "org-1" }],
        ["an account that is both management and access", { managementAccountIds: ["111111111111"], accessAccountIds: ["111111111111"] }],
    ];
    for (const [name, config] of invalid) {
        it(`rejects ${name}`, () => {
            expect(() => readOrganizationConfig(config)).to.throw(Error);
        });
    }
});

describe("resource type tokens exist in @pulumi/aws", () => {
    const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));
    /** `aws:ec2/instance:Instance` is defined in `@pulumi/aws/ec2/instance.js`. */
    function moduleSource(token: string): string | undefined {
        const match = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):[A-Za-z0-9]+$/.exec(token);
        const file = match === null ? undefined : path.join(awsRoot, match[1], `${match[2]}.js`);
        return file !== undefined && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    }
    const tokens = [...COMPUTE_RESOURCE_TYPES, ...ACCESS_IDENTITY_RESOURCE_TYPES, ...RESOURCE_POLICY_PROPERTIES.keys(), ...IDENTITY_POLICY_PROPERTIES.keys()];
    for (const token of tokens) {
        it(token, () => {
            expect(moduleSource(token)).to.contain(`__pulumiType = '${token}'`);
        });
    }
    for (const [token, property] of [...RESOURCE_POLICY_PROPERTIES, ...IDENTITY_POLICY_PROPERTIES]) {
        it(`${token} takes input ${property}`, () => {
            expect(moduleSource(token)).to.contain(`resourceInputs["${property}"] = args?.${property};`);
        });
    }
});
