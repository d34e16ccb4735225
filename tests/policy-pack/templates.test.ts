// Templates read as CloudFormation reads them (issue #18, item 4). Every intrinsic function, YAML
// short form and JSON escape gets the same verdict from the served pack as its plain-JSON twin (the
// template with each value written out), for bad templates and their clean look-alikes; principals
// only deployment can tell are unknown, mandatory in the management and access accounts and
// advisory elsewhere. A stack holding a StackSet (issue #20: how the program delivers member roles)
// deploys what the StackSet's inline template holds, judged as if in the stack's account.

import { expect } from "chai";
import * as path from "path";
import { AnalyzedProvider, AnalyzedResource, Diagnostic, ServedPolicyPack } from "../../offline/served-pack";
import { Unresolved } from "../../policy-pack/cloudformation/intrinsics";
import { parseTemplateText } from "../../policy-pack/cloudformation/yaml";
import { STACK_SET_NESTING_LIMIT, templateResources } from "../../policy-pack/templates";
import { parseStackConfig } from "../../config/stack";
import { buildOrganizationModel } from "../../model/organization";
import { roleTemplate } from "../../model/role-template";
import { STACK_SET_OPERATION, stackSetStackTemplate, StackSetSpec } from "../../model/stack-set-template";
import { configFileFor, readStackConfig, readStackConfigFile } from "../../offline/stack-files";

const PACK_DIR = path.join(__dirname, "..", "..", "policy-pack");
const MANAGEMENT = "111111111111";
const ACCESS = "222222222222";
const WORKLOAD = "333333333333";
const ORG = "o-ourorg12345";
const ORG_PROPERTIES = { managementAccountIds: [MANAGEMENT], accessAccountIds: [ACCESS], organizationId: ORG };
const PACK_CONFIG = {
    "no-wildcard-principals": { organizationId: ORG },
    "no-compute-in-management-account": ORG_PROPERTIES,
    "management-account-not-access-account": ORG_PROPERTIES,
    "access-account-holds-access-only": { accessAccountIds: [ACCESS] },
    "template-principals-resolved": ORG_PROPERTIES,
    "template-principals-resolved-elsewhere": ORG_PROPERTIES,
};

function provider(name: string, accountId: string, region = "us-east-1"): AnalyzedProvider {
    return {
        type: "pulumi:providers:aws",
        name,
        urn: `urn:pulumi:e2e::org-access::pulumi:providers:aws::${name}`,
        properties: { region, allowedAccountIds: JSON.stringify([accountId]) },
    };
}
const inManagement = provider("management", MANAGEMENT);
const inAccess = provider("access", ACCESS);
const inWorkload = provider("workload", WORKLOAD);

const STACK = "aws:cloudformation/stack:Stack";

function stack(properties: Record<string, unknown>, on: AnalyzedProvider = inWorkload, type = STACK): AnalyzedResource {
    return { type, name: "nested", urn: `urn:pulumi:e2e::org-access::${type}::nested`, properties, provider: on };
}

const summary = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort();

/** A one-resource template (plain JSON). */
const template = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...extra, Resources: resources });
const queuePolicy = (statement: Record<string, unknown>) => ({
    Q: {
        Type: "AWS::SQS::QueuePolicy",
        Properties: {
            Queues: ["https://sqs.us-east-1.amazonaws.com/333333333333/q"],
            PolicyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", ...statement }],
            },
        },
    },
});
const roleTrust = (statement: Record<string, unknown>) => ({
    R: {
        Type: "AWS::IAM::Role",
        Properties: {
            AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }] },
        },
    },
});
const permission = (properties: Record<string, unknown>) => ({
    P: { Type: "AWS::Lambda::Permission", Properties: { Action: "lambda:InvokeFunction", FunctionName: "f", ...properties } },
});

interface TwinCase {
    readonly title: string;
    /** The template as written: YAML or JSON text, or an object with intrinsic functions. */
    readonly form: unknown;
    /** The same template with every value written out, as JSON. */
    readonly twin: Record<string, unknown>;
    /** What the pack says of the twin. */
    readonly expected: readonly string[];
    /** Other inputs of the stack (its `parameters`), given to both. */
    readonly inputs?: Record<string, unknown>;
}

const WILDCARD = ["no-wildcard-principals:mandatory"];
const USERS_WITHOUT_MFA = ["trusted-users-require-mfa:mandatory"];
const CLEAN: readonly string[] = [];

const TWINS: readonly TwinCase[] = [
    // ---- Bad templates
    {
        title: "YAML: a queue policy for anyone",
        form: [
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sqs:SendMessage",
            "            Resource: '*'",
            "            Principal: '*'",
        ].join("\n"),
        twin: template(queuePolicy({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "JSON: Statement written with a JSON escape",
        form: JSON.stringify(template(queuePolicy({ Principal: "*" }))).replace('"Statement"', '"\\u0053tatement"'),
        twin: template(queuePolicy({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "JSON: Principal written with a JSON escape",
        form: JSON.stringify(template(queuePolicy({ Principal: "*" }))).replace('"Principal"', '"\\u0050rincipal"'),
        twin: template(queuePolicy({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "YAML: a double-quoted key with an escape",
        form: [
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Version: '2012-10-17'",
            '        "\\x53tatement":',
            "          - {Effect: Allow, Action: sqs:SendMessage, Resource: '*', Principal: '*'}",
        ].join("\n"),
        twin: template(queuePolicy({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "!Ref a parameter whose Default is *",
        form: [
            "Parameters:",
            "  Who: {Type: String, Default: '*'}",
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Statement:",
            "          - {Effect: Allow, Action: sqs:SendMessage, Resource: '*', Principal: {AWS: !Ref Who}}",
        ].join("\n"),
        twin: template(queuePolicy({ Principal: { AWS: "*" } })),
        expected: WILDCARD,
    },
    {
        title: "Ref (long form, JSON) to a parameter the stack passes as *",
        form: JSON.stringify(
            template(queuePolicy({ Principal: { AWS: { Ref: "Who" } } }), { Parameters: { Who: { Type: "String", Default: WORKLOAD } } }),
        ),
        twin: template(queuePolicy({ Principal: { AWS: "*" } })),
        inputs: { parameters: { Who: "*" } },
        expected: WILDCARD,
    },
    {
        title: "!Sub with pseudo-parameters: an account root trust without MFA",
        form: [
            "Resources:",
            "  R:",
            "    Type: AWS::IAM::Role",
            "    Properties:",
            "      AssumeRolePolicyDocument:",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sts:AssumeRole",
            '            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}',
        ].join("\n"),
        twin: template(roleTrust({ Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` } })),
        expected: USERS_WITHOUT_MFA,
    },
    {
        title: "!Join and !Select building *",
        form: [
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [q]",
            "      PolicyDocument:",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sqs:SendMessage",
            "            Resource: '*'",
            "            Principal:",
            "              AWS: !Join ['', [!Select [1, !Split [',', 'x,*']]]]",
        ].join("\n"),
        twin: template({
            Q: {
                Type: "AWS::SQS::QueuePolicy",
                Properties: {
                    Queues: ["q"],
                    PolicyDocument: { Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Principal: { AWS: "*" } }] },
                },
            },
        }),
        expected: WILDCARD,
    },
    {
        title: "!If on a condition that holds, from a parameter's Default",
        form: [
            "Parameters:",
            "  Mode: {Type: String, Default: open}",
            "Conditions:",
            "  Open: !Equals [!Ref Mode, open]",
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sqs:SendMessage",
            "            Resource: '*'",
            `            Principal: !If [Open, '*', {AWS: '${WORKLOAD}'}]`,
        ].join("\n"),
        twin: template(queuePolicy({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "!FindInMap to *",
        form: {
            Mappings: { Trust: { Queue: { Principal: "*" } } },
            Resources: queuePolicy({ Principal: { "Fn::FindInMap": ["Trust", "Queue", "Principal"] } }),
        },
        twin: template(queuePolicy({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "!Base64 is computed, and does not hide a wildcard beside it",
        form: template({
            ...queuePolicy({ Principal: "*" }),
            Q: {
                Type: "AWS::SQS::QueuePolicy",
                Properties: {
                    Queues: [{ "Fn::Base64": "q" }],
                    PolicyDocument: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Principal: "*" }],
                    },
                },
            },
        }),
        twin: template({
            Q: {
                Type: "AWS::SQS::QueuePolicy",
                Properties: {
                    Queues: ["cQ=="],
                    PolicyDocument: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Principal: "*" }],
                    },
                },
            },
        }),
        expected: WILDCARD,
    },
    {
        title: "YAML: a Lambda permission for * through !Ref",
        form: [
            "Parameters:",
            "  Caller: {Type: String, Default: '*'}",
            "Resources:",
            "  P:",
            "    Type: AWS::Lambda::Permission",
            "    Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: !Ref Caller}",
        ].join("\n"),
        twin: template(permission({ Principal: "*" })),
        expected: WILDCARD,
    },
    {
        title: "a list parameter (CommaDelimitedList) holding *",
        form: [
            "Parameters:",
            `  Who: {Type: CommaDelimitedList, Default: '${WORKLOAD},*'}`,
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [q]",
            "      PolicyDocument:",
            "        Statement:",
            "          - {Effect: Allow, Action: sqs:SendMessage, Resource: '*', Principal: {AWS: !Ref Who}}",
        ].join("\n"),
        twin: template({
            Q: {
                Type: "AWS::SQS::QueuePolicy",
                Properties: {
                    Queues: ["q"],
                    PolicyDocument: {
                        Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Principal: { AWS: [WORKLOAD, "*"] } }],
                    },
                },
            },
        }),
        expected: WILDCARD,
    },
    // ---- Clean look-alikes
    {
        title: "SourceAccount: !Ref AWS::AccountId on a service permission (AWS's own idiom)",
        form: [
            "Resources:",
            "  P:",
            "    Type: AWS::Lambda::Permission",
            "    Properties:",
            "      Action: lambda:InvokeFunction",
            "      FunctionName: f",
            "      Principal: s3.amazonaws.com",
            "      SourceAccount: !Ref AWS::AccountId",
            "      SourceArn: arn:aws:s3:::bucket",
        ].join("\n"),
        twin: template(permission({ Principal: "s3.amazonaws.com", SourceAccount: WORKLOAD, SourceArn: "arn:aws:s3:::bucket" })),
        expected: CLEAN,
    },
    {
        title: "a wildcard confined by !Ref to an organization-ID parameter's Default",
        form: [
            "Parameters:",
            `  OrgId: {Type: String, Default: ${ORG}}`,
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sqs:SendMessage",
            "            Resource: '*'",
            "            Principal: '*'",
            "            Condition: {StringEquals: {'aws:PrincipalOrgID': !Ref OrgId}}",
        ].join("\n"),
        twin: template(queuePolicy({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } })),
        expected: CLEAN,
    },
    {
        title: "a wildcard confined by !Sub to the deploying account",
        form: template(
            queuePolicy({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": { "Fn::Sub": "${AWS::AccountId}" } } } }),
        ),
        twin: template(queuePolicy({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": WORKLOAD } } })),
        expected: CLEAN,
    },
    {
        title: "!If on a condition that does not hold",
        form: [
            "Parameters:",
            "  Mode: {Type: String, Default: closed}",
            "Conditions:",
            "  Open: !Equals [!Ref Mode, open]",
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sqs:SendMessage",
            "            Resource: '*'",
            `            Principal: !If [Open, '*', {AWS: '${WORKLOAD}'}]`,
        ].join("\n"),
        twin: template(queuePolicy({ Principal: { AWS: WORKLOAD } })),
        expected: CLEAN,
    },
    {
        title: "a resource whose Condition is false is not deployed (!Not, !And, !Or, !Condition)",
        form: [
            "Parameters:",
            "  Env: {Type: String, Default: prod}",
            "Conditions:",
            "  IsProd: !Equals [!Ref Env, prod]",
            "  IsDev: !Not [!Condition IsProd]",
            "  Open: !And [!Condition IsDev, !Or [!Condition IsDev, !Equals [a, b]]]",
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Condition: Open",
            "    Properties:",
            "      Queues: [q]",
            "      PolicyDocument:",
            "        Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*', Principal: '*'}]",
            "  T:",
            "    Type: AWS::SNS::Topic",
        ].join("\n"),
        twin: template({ T: { Type: "AWS::SNS::Topic" } }),
        expected: CLEAN,
    },
    {
        title: "!Ref AWS::NoValue removes nothing that decides the verdict; the scoping condition stays",
        form: [
            "Parameters:",
            "  Scoped: {Type: String, Default: 'yes'}",
            "Conditions:",
            "  IsScoped: !Equals [!Ref Scoped, 'yes']",
            "Resources:",
            "  Q:",
            "    Type: AWS::SQS::QueuePolicy",
            "    Properties:",
            "      Queues: [https://sqs.us-east-1.amazonaws.com/333333333333/q]",
            "      PolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement:",
            "          - Effect: Allow",
            "            Action: sqs:SendMessage",
            "            Resource: '*'",
            "            Principal: '*'",
            `            Condition: !If [IsScoped, {StringEquals: {'aws:PrincipalOrgID': ${ORG}}}, !Ref AWS::NoValue]`,
        ].join("\n"),
        twin: template(queuePolicy({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } })),
        expected: CLEAN,
    },
    {
        title: "!Sub account root trust with MFA",
        form: template(
            roleTrust({
                Principal: { AWS: { "Fn::Sub": ["arn:${AWS::Partition}:iam::${Account}:root", { Account: { Ref: "AWS::AccountId" } }] } },
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            }),
        ),
        twin: template(
            roleTrust({
                Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` },
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            }),
        ),
        expected: CLEAN,
    },
    {
        title: "YAML: a WAF web ACL (its rules' Statement is not an IAM policy)",
        form: [
            "Resources:",
            "  Acl:",
            "    Type: AWS::WAFv2::WebACL",
            "    Properties:",
            "      Scope: REGIONAL",
            "      DefaultAction: {Allow: {}}",
            "      VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl}",
            "      Rules:",
            "        - Name: block-bad",
            "          Priority: 0",
            "          Action: {Block: {}}",
            "          VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: bad}",
            "          Statement:",
            "            ByteMatchStatement:",
            "              SearchString: bad",
            "              FieldToMatch: {UriPath: {}}",
            "              PositionalConstraint: CONTAINS",
            "              TextTransformations: [{Priority: 0, Type: NONE}]",
        ].join("\n"),
        twin: template({
            Acl: {
                Type: "AWS::WAFv2::WebACL",
                Properties: {
                    Scope: "REGIONAL",
                    DefaultAction: { Allow: {} },
                    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: "acl" },
                    Rules: [
                        {
                            Name: "block-bad",
                            Priority: 0,
                            Action: { Block: {} },
                            VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: "bad" },
                            Statement: {
                                ByteMatchStatement: {
                                    SearchString: "bad",
                                    FieldToMatch: { UriPath: {} },
                                    PositionalConstraint: "CONTAINS",
                                    TextTransformations: [{ Priority: 0, Type: "NONE" }],
                                },
                            },
                        },
                    ],
                },
            },
        }),
        expected: CLEAN,
    },
];

// ---- Stacks holding a StackSet, as the program builds them (model/stack-set-template.ts)

/** The management account's stack around one service-managed StackSet deploying `inner` (a template object). */
const stackSetStack = (inner: Record<string, unknown> | string, spec: Partial<StackSetSpec> = {}) =>
    stackSetStackTemplate({
        name: "org-access-Reader-ou-ab12-34cd56ef",
        description: "org-access: member role Reader",
        template: typeof inner === "string" ? inner : JSON.stringify(inner),
        organizationalUnitIds: ["ou-ab12-34cd56ef"],
        excludedAccounts: [ACCESS],
        region: "us-east-1",
        operation: STACK_SET_OPERATION,
        ...spec,
    });
/** The same stack with the StackSet's properties changed by `change` (what the program's builder cannot write). */
const withStackSetProperties = (stackTemplate: string, change: (properties: Record<string, unknown>) => Record<string, unknown>) => {
    const parsed = JSON.parse(stackTemplate) as { Resources: { StackSet: { Properties: Record<string, unknown> } } };
    parsed.Resources.StackSet.Properties = change(parsed.Resources.StackSet.Properties);
    return JSON.stringify(parsed);
};
/** A role template, as model/role-template.ts writes one, trusting `principal` to assume it. */
const memberRole = (principal: string) =>
    roleTemplate("org-access: member role Reader", {
        name: "Reader",
        description: "Reached from team readers",
        trust: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: principal } }],
        },
        inline: { read: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } },
        maxSessionDuration: 3600,
    });
const READER_TRUSTS = `arn:aws:iam::${ACCESS}:role/org-access-readers`;
const lambdaFunction = {
    Fn: {
        Type: "AWS::Lambda::Function",
        Properties: { Runtime: "python3.12", Handler: "index.handler", Code: { ZipFile: "x" }, Role: "arn:aws:iam::1:role/r" },
    },
};

/** The program's own stack-set stacks: each member role's (the access example under `stacksets`) and the deploy identity's. */
function programStackSetStacks(): { name: string; template: string }[] {
    const example = readStackConfigFile(configFileFor("access"));
    const organization = JSON.parse(example["org-access:organization"]) as Record<string, unknown>;
    const units = [
        { path: "security", id: "ou-ab12-security" },
        { path: "workloads/prod", id: "ou-ab12-prod0001" },
        { path: "workloads/dev", id: "ou-ab12-dev00001" },
    ];
    const stackSets = buildOrganizationModel(
        parseStackConfig({
            ...example,
            "org-access:organization": JSON.stringify({ ...organization, organizationalUnits: units }),
            "org-access:memberRoleDelivery": "stacksets",
        }),
    ).access?.stackSets;
    const deployIdentity = buildOrganizationModel(parseStackConfig(readStackConfig("mgmt"))).deployIdentity;
    if (stackSets === undefined || stackSets.length === 0 || deployIdentity === undefined) {
        throw new Error("the examples no longer deliver member roles or a deploy identity through stack sets");
    }
    const { stackSet } = deployIdentity;
    return [
        ...stackSets.map((s) => ({ name: s.target.name, template: s.stackTemplate })),
        {
            name: stackSet.name,
            template: stackSetStackTemplate({
                name: stackSet.name,
                description: "org-access: the deploy role of member accounts",
                template: stackSet.template,
                organizationalUnitIds: stackSet.organizationalUnitIds,
                excludedAccounts: stackSet.excludedAccounts,
                region: "us-east-1",
            }),
        },
    ];
}

describe("templates read as CloudFormation reads them", () => {
    describe("YAML short forms are the long forms", () => {
        const FORMS: ReadonlyArray<[string, unknown]> = [
            ["!Ref Name", { Ref: "Name" }],
            ["!Sub 'a-${X}'", { "Fn::Sub": "a-${X}" }],
            ["!Sub ['a-${X}', {X: b}]", { "Fn::Sub": ["a-${X}", { X: "b" }] }],
            ["!GetAtt Res.Attr", { "Fn::GetAtt": ["Res", "Attr"] }],
            ["!GetAtt Res.Nested.Attr", { "Fn::GetAtt": ["Res", "Nested.Attr"] }],
            ["!GetAtt [Res, Attr]", { "Fn::GetAtt": ["Res", "Attr"] }],
            ["!Join ['', [a, b]]", { "Fn::Join": ["", ["a", "b"]] }],
            ["!If [C, a, b]", { "Fn::If": ["C", "a", "b"] }],
            ["!Select [0, [a]]", { "Fn::Select": [0, ["a"]] }],
            ["!Split [',', 'a,b']", { "Fn::Split": [",", "a,b"] }],
            ["!FindInMap [M, K, V]", { "Fn::FindInMap": ["M", "K", "V"] }],
            ["!ImportValue Out", { "Fn::ImportValue": "Out" }],
            ["!Base64 text", { "Fn::Base64": "text" }],
            ["!Cidr ['10.0.0.0/16', 2, 8]", { "Fn::Cidr": ["10.0.0.0/16", 2, 8] }],
            ["!GetAZs ''", { "Fn::GetAZs": "" }],
            ["!Equals [a, b]", { "Fn::Equals": ["a", "b"] }],
            ["!And [!Condition A, !Condition B]", { "Fn::And": [{ Condition: "A" }, { Condition: "B" }] }],
            ["!Or [!Condition A, !Condition B]", { "Fn::Or": [{ Condition: "A" }, { Condition: "B" }] }],
            ["!Not [!Condition A]", { "Fn::Not": [{ Condition: "A" }] }],
            [
                "!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
                { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } },
            ],
            ["!Sub\n  - 'a-${X}'\n  - X: !Ref Y", { "Fn::Sub": ["a-${X}", { X: { Ref: "Y" } }] }],
        ];
        for (const [short, long] of FORMS) {
            it(`${short.split("\n")[0]} is ${JSON.stringify(long)}`, () => {
                expect(parseTemplateText(`v: ${short}`)).to.deep.equal({ ok: true, value: { v: long } });
            });
        }

        it("reads a JSON key written with an escape as its value", () => {
            expect(parseTemplateText('{"\\u0053tatement": 1}')).to.deep.equal({ ok: true, value: { Statement: 1 } });
        });

        it("refuses a YAML mapping with a key twice (the pack cannot tell which one CloudFormation keeps)", () => {
            const parsed = parseTemplateText("Resources:\n  Q: {Type: AWS::SNS::Topic}\n  Q: {Type: AWS::Lambda::Function}\n");
            expect(parsed.ok).to.equal(false);
        });

        it("reports text that is neither JSON nor YAML", () => {
            const parsed = parseTemplateText("Resources: [unclosed");
            expect(parsed.ok).to.equal(false);
        });
    });

    describe("intrinsic functions resolve against the deploying environment", () => {
        const resolvedProperties = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}, region = "us-east-1") => {
            const deployment = templateResources(
                { ...extra, Resources: { Thing: { Type: "AWS::SNS::Topic", Properties: properties }, Other: { Type: "AWS::SNS::Topic" } } },
                { accountId: WORKLOAD, region, stackName: "stack", parameters: {} },
            );
            if (!deployment.known) {
                throw new Error(deployment.reason);
            }
            return deployment.resources[0].properties;
        };

        it("pseudo-parameters: account, partition, region, URL suffix, stack name", () => {
            expect(
                resolvedProperties({
                    A: { Ref: "AWS::AccountId" },
                    P: { Ref: "AWS::Partition" },
                    R: { Ref: "AWS::Region" },
                    U: { Ref: "AWS::URLSuffix" },
                    S: { Ref: "AWS::StackName" },
                    N: { Ref: "AWS::NoValue" },
                }),
            ).to.deep.equal({ A: WORKLOAD, P: "aws", R: "us-east-1", U: "amazonaws.com", S: "stack" });
            expect(resolvedProperties({ P: { Ref: "AWS::Partition" }, U: { Ref: "AWS::URLSuffix" } }, {}, "cn-north-1")).to.deep.equal({
                P: "aws-cn",
                U: "amazonaws.com.cn",
            });
            expect(resolvedProperties({ P: { Ref: "AWS::Partition" } }, {}, "us-gov-west-1")).to.deep.equal({ P: "aws-us-gov" });
        });

        it("Fn::Sub: variables, ${!Literal}, resource attributes left unresolved", () => {
            const { A, B } = resolvedProperties({ A: { "Fn::Sub": "${AWS::Region}-${!Literal}" }, B: { "Fn::Sub": "${Other.TopicArn}" } });
            expect(A).to.equal("us-east-1-${Literal}");
            expect(B).to.be.instanceOf(Unresolved);
            expect((B as Unresolved).what).to.contain("!GetAtt Other.TopicArn");
        });

        it("what only deployment can tell is Unresolved, and says what", () => {
            const properties = resolvedProperties(
                { G: { "Fn::GetAtt": ["Other", "Arn"] }, R: { Ref: "Other" }, I: { "Fn::ImportValue": "Shared" }, P: { Ref: "NoDefault" } },
                { Parameters: { NoDefault: { Type: "String" } } },
            );
            const whats = Object.fromEntries(
                Object.entries(properties).map(([key, value]) => [key, value instanceof Unresolved ? value.what : value]),
            );
            expect(whats).to.deep.equal({
                G: "!GetAtt Other.Arn",
                R: "!Ref Other (the physical ID of a resource the stack creates)",
                I: "!ImportValue Shared",
                P: "parameter NoDefault (no value passed and no Default)",
            });
        });

        it("Properties that resolve to nothing known as a whole are marked, not dropped", () => {
            const deployment = templateResources({
                Resources: { Q: { Type: "AWS::SQS::QueuePolicy", Properties: { "Fn::If": ["Unknown", {}, {}] } } },
            });
            expect(deployment.known && deployment.resources[0].unresolvedProperties?.what).to.contain("condition Unknown");
        });

        it("a StackSet's AWS::AccountId is each target's, so it is not resolved", () => {
            const deployment = templateResources(
                { Resources: { T: { Type: "AWS::SNS::Topic", Properties: { A: { Ref: "AWS::AccountId" } } } } },
                { accountId: new Unresolved("AWS::AccountId (a StackSet deploys into each of its target accounts)") },
            );
            expect(deployment.known && deployment.resources[0].properties.A).to.be.instanceOf(Unresolved);
        });
    });

    describe("a StackSet in a template deploys its inline template", () => {
        const read = (stackTemplate: string) => {
            const deployment = templateResources(stackTemplate, { accountId: MANAGEMENT, region: "us-east-1", stackName: "s" });
            if (!deployment.known) {
                throw new Error(deployment.reason);
            }
            return deployment.resources;
        };
        /** A template whose one role trusts the parameter `Trusted` (Default: the readers' role). */
        const trustingParameter = template(
            {
                Role: {
                    Type: "AWS::IAM::Role",
                    Properties: {
                        AssumeRolePolicyDocument: {
                            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: { Ref: "Trusted" } } }],
                        },
                        Tags: [{ Key: "account", Value: { Ref: "AWS::AccountId" } }],
                    },
                },
            },
            { Parameters: { Trusted: { Type: "String", Default: READER_TRUSTS } } },
        );
        const trustOf = (resource: { properties: Record<string, unknown> } | undefined) =>
            (resource?.properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] }).Statement[0].Principal;

        it("lists the StackSet, then its template's resources named through it, resolved in each target", () => {
            const resources = read(stackSetStack(JSON.parse(memberRole(READER_TRUSTS)) as Record<string, unknown>));
            expect(resources.map((r) => [r.logicalId, r.cfnType, r.stackSet, r.deployedBy])).to.deep.equal([
                ["StackSet", "AWS::CloudFormation::StackSet", { expanded: true }, undefined],
                ["StackSet/Role", "AWS::IAM::Role", undefined, "StackSet"],
            ]);
            expect(trustOf(resources[1])).to.deep.equal({ AWS: READER_TRUSTS });
        });

        it("the inner template's AWS::AccountId is each target's, not the stack's account", () => {
            const [, role] = read(stackSetStack(trustingParameter));
            const [tag] = role.properties.Tags as { Value: unknown }[];
            expect(tag.Value).to.be.instanceOf(Unresolved);
            expect((tag.Value as Unresolved).what).to.contain("each of its target accounts");
        });

        it("parameters: the StackSet's Parameters over the inner template's Defaults, unresolved ones kept unresolved", () => {
            expect(trustOf(read(stackSetStack(trustingParameter))[1])).to.deep.equal({ AWS: READER_TRUSTS });
            const passing = (value: unknown) =>
                withStackSetProperties(stackSetStack(trustingParameter), (p) => ({
                    ...p,
                    Parameters: [{ ParameterKey: "Trusted", ParameterValue: value }],
                }));
            expect(trustOf(read(passing("*"))[1])).to.deep.equal({ AWS: "*" });
            const imported = trustOf(read(passing({ "Fn::ImportValue": "Who" }))[1]) as { AWS: unknown };
            expect(imported.AWS).to.be.instanceOf(Unresolved);
            expect((imported.AWS as Unresolved).what).to.equal("parameter Trusted (!ImportValue Who)");
        });

        const unknowable: ReadonlyArray<[string, string, string]> = [
            [
                "a template URL",
                withStackSetProperties(stackSetStack(trustingParameter), ({ TemplateBody: _body, ...p }) => ({
                    ...p,
                    TemplateURL: "https://s3.amazonaws.com/b/t.json",
                })),
                "TemplateURL",
            ],
            [
                "no template",
                withStackSetProperties(stackSetStack(trustingParameter), ({ TemplateBody: _body, ...p }) => p),
                "no inline TemplateBody",
            ],
            ["an unreadable template", stackSetStack("Resources: [unclosed"), "cannot be read"],
            [
                "a TemplateBody that is not text",
                withStackSetProperties(stackSetStack(trustingParameter), (p) => ({ ...p, TemplateBody: trustingParameter })),
                "not text",
            ],
            ["a Transform", stackSetStack({ ...trustingParameter, Transform: "AWS::Serverless-2016-10-31" }), "Transform"],
            [
                "a TemplateBody only deployment can tell",
                withStackSetProperties(stackSetStack(trustingParameter), (p) => ({ ...p, TemplateBody: { "Fn::ImportValue": "Body" } })),
                "!ImportValue Body",
            ],
            [
                "parameters overridden per stack instance group",
                withStackSetProperties(stackSetStack(trustingParameter), (p) => ({
                    ...p,
                    StackInstancesGroup: [
                        {
                            DeploymentTargets: { OrganizationalUnitIds: ["ou-ab12-34cd56ef"] },
                            Regions: ["us-east-1"],
                            ParameterOverrides: [{ ParameterKey: "Trusted", ParameterValue: "*" }],
                        },
                    ],
                })),
                "overrides parameters per group",
            ],
        ];
        for (const [title, stackTemplate, reason] of unknowable) {
            it(`${title}: the StackSet stays unknowable, with why`, () => {
                const resources = read(stackTemplate);
                expect(resources).to.have.length(1);
                const [stackSet] = resources;
                expect(stackSet.stackSet?.expanded).to.equal(false);
                expect(stackSet.stackSet?.expanded === false && stackSet.stackSet.reason).to.contain(reason);
            });
        }

        it(`reads StackSets ${STACK_SET_NESTING_LIMIT} levels deep, and no deeper`, () => {
            let nested = stackSetStack(JSON.parse(memberRole(READER_TRUSTS)) as Record<string, unknown>);
            for (let level = 1; level < STACK_SET_NESTING_LIMIT; level++) {
                nested = stackSetStack(nested);
            }
            const all = read(nested);
            const names = all.map((r) => r.logicalId);
            expect(names[names.length - 1]).to.equal(`${"StackSet/".repeat(STACK_SET_NESTING_LIMIT)}Role`);
            // Each resource records the StackSet that deploys it; the template's own StackSet, none.
            expect(all.map((r) => r.deployedBy)).to.deep.equal([
                undefined,
                ...Array.from({ length: STACK_SET_NESTING_LIMIT }, (_, i) => "StackSet/".repeat(i) + "StackSet"),
            ]);
            const deeper = read(stackSetStack(nested));
            const deepest = deeper[deeper.length - 1];
            expect(deepest.logicalId).to.equal("StackSet/".repeat(STACK_SET_NESTING_LIMIT) + "StackSet");
            expect(deepest.stackSet?.expanded).to.equal(false);
        });
    });

    describe("served by run-policy-pack", function () {
        this.timeout(120_000);
        let pack: ServedPolicyPack | undefined;
        const served = (): ServedPolicyPack => {
            if (pack === undefined) {
                throw new Error("policy pack is not running");
            }
            return pack;
        };

        before(async () => {
            pack = await ServedPolicyPack.start(PACK_DIR);
            await pack.configure(PACK_CONFIG);
        });

        after(async () => {
            await pack?.stop();
        });

        describe("each intrinsic and YAML form gets the same verdict as its plain-JSON twin", () => {
            for (const { title, form, twin, expected, inputs } of TWINS) {
                it(title, async () => {
                    const twinDiagnostics = await served().analyze(stack({ templateBody: JSON.stringify(twin), ...inputs }));
                    const formDiagnostics = await served().analyze(stack({ templateBody: form, ...inputs }));
                    expect(summary(twinDiagnostics), "the twin").to.deep.equal(expected);
                    expect(summary(formDiagnostics), formDiagnostics.map((d) => d.message).join("\n")).to.deep.equal(
                        summary(twinDiagnostics),
                    );
                });
            }

            it("the aws-native stack reads an object template with intrinsics the same way", async () => {
                const native: AnalyzedProvider = {
                    type: "pulumi:providers:aws-native",
                    name: "native-workload",
                    urn: "urn:pulumi:e2e::org-access::pulumi:providers:aws-native::native-workload",
                    properties: { region: "us-east-1", allowedAccountIds: JSON.stringify([WORKLOAD]) },
                };
                const form = template(queuePolicy({ Principal: { AWS: { Ref: "Who" } } }), {
                    Parameters: { Who: { Type: "String", Default: "*" } },
                });
                const diagnostics = await served().analyze(stack({ templateBody: form }, native, "aws-native:cloudformation:Stack"));
                expect(summary(diagnostics)).to.deep.equal(WILDCARD);
            });
        });

        describe("a stack holding a StackSet deploys what the StackSet's template holds, judged in the stack's account", () => {
            const inStack = (stackTemplate: string) => served().analyze(stack({ templateBody: stackTemplate }, inManagement));
            const messages = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.message).join("\n");

            it("a role trusting anyone (AWS: *) is a wildcard principal; trusting one role is clean", async () => {
                const open = await inStack(stackSetStack(memberRole("*")));
                // Anyone includes IAM users without MFA.
                expect(summary(open), messages(open)).to.deep.equal([...WILDCARD, ...USERS_WITHOUT_MFA]);
                expect(messages(open)).to.contain("StackSet/Role");
                const exact = await inStack(stackSetStack(memberRole(READER_TRUSTS)));
                expect(summary(exact), messages(exact)).to.deep.equal(CLEAN);
            });

            it("a role trusting anyone through the StackSet's Parameters is a wildcard; the Default alone is clean", async () => {
                const body = template(roleTrust({ Principal: { AWS: { Ref: "Trusted" } } }), {
                    Parameters: { Trusted: { Type: "String", Default: READER_TRUSTS } },
                });
                const clean = await inStack(stackSetStack(body));
                expect(summary(clean), messages(clean)).to.deep.equal(CLEAN);
                const passed = withStackSetProperties(stackSetStack(body), (p) => ({
                    ...p,
                    Parameters: [{ ParameterKey: "Trusted", ParameterValue: "*" }],
                }));
                expect(summary(await inStack(passed))).to.deep.equal([...WILDCARD, ...USERS_WITHOUT_MFA]);
            });

            it("a trust on the target's own account (AWS::AccountId) is unknown in the management account", async () => {
                const body = template(
                    roleTrust({ Principal: { AWS: { "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/org-access-readers" } } }),
                );
                const diagnostics = await inStack(stackSetStack(body));
                expect(summary(diagnostics), messages(diagnostics)).to.deep.equal(["template-principals-resolved:mandatory"]);
                expect(messages(diagnostics)).to.contain("template resource StackSet/R (AWS::IAM::Role)");
            });

            it("a Lambda function is compute in the management account; a role alone is not", async () => {
                const compute = await inStack(
                    stackSetStack(template({ ...lambdaFunction, ...JSON.parse(memberRole(READER_TRUSTS)).Resources })),
                );
                expect(summary(compute), messages(compute)).to.deep.equal(["no-compute-in-management-account:mandatory"]);
                expect(messages(compute)).to.contain("StackSet/Fn (AWS::Lambda::Function) is compute");
                expect(messages(compute)).not.to.contain("StackSet (AWS::CloudFormation::StackSet)");
                expect(summary(await inStack(stackSetStack(memberRole(READER_TRUSTS))))).to.deep.equal(CLEAN);
            });

            it("a StackSet whose template is by URL is unknowable in the management account; inline it is clean", async () => {
                const inline = stackSetStack(memberRole(READER_TRUSTS));
                const byUrl = withStackSetProperties(inline, ({ TemplateBody: _body, ...p }) => ({
                    ...p,
                    TemplateURL: "https://s3.amazonaws.com/b/t.json",
                }));
                const diagnostics = await inStack(byUrl);
                expect(summary(diagnostics), messages(diagnostics)).to.deep.equal(["no-compute-in-management-account:mandatory"]);
                expect(messages(diagnostics)).to.contain("StackSet (AWS::CloudFormation::StackSet) deploys what the pack cannot see");
                expect(summary(await inStack(inline))).to.deep.equal(CLEAN);
            });

            it("a Lambda function in a member account's stack set stack is that account's business", async () => {
                const diagnostics = await served().analyze(stack({ templateBody: stackSetStack(template(lambdaFunction)) }, inWorkload));
                expect(summary(diagnostics), messages(diagnostics)).to.deep.equal(CLEAN);
            });

            describe("the program's own stack-set stacks pass every rule in the management account", () => {
                for (const { name, template: stackTemplate } of programStackSetStacks()) {
                    it(name, async () => {
                        const diagnostics = await served().analyze(
                            stack({ name, templateBody: stackTemplate, onFailure: "DELETE" }, inManagement),
                        );
                        expect(summary(diagnostics), messages(diagnostics)).to.deep.equal(CLEAN);
                    });
                }
            });
        });

        describe("a principal only deployment can tell is unknown", () => {
            const unresolvedTrust = [
                "Resources:",
                "  Other:",
                "    Type: AWS::IAM::Role",
                "    Properties:",
                `      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: lambda.amazonaws.com}}]}`,
                "  R:",
                "    Type: AWS::IAM::Role",
                "    Properties:",
                "      AssumeRolePolicyDocument:",
                "        Statement:",
                "          - Effect: Allow",
                "            Action: sts:AssumeRole",
                "            Principal: {AWS: !GetAtt Other.Arn}",
            ].join("\n");

            for (const [where, on, expected] of [
                ["the management account", inManagement, ["template-principals-resolved:mandatory"]],
                ["the access account", inAccess, ["access-account-holds-access-only:mandatory", "template-principals-resolved:mandatory"]],
                ["a member account", inWorkload, ["template-principals-resolved-elsewhere:advisory"]],
            ] as const) {
                it(`!GetAtt Other.Arn as a principal in ${where}`, async () => {
                    const diagnostics = await served().analyze(stack({ templateBody: unresolvedTrust }, on));
                    expect(summary(diagnostics), diagnostics.map((d) => d.message).join("\n")).to.deep.equal([...expected]);
                    const unknown = diagnostics.find((d) => d.policyName.startsWith("template-principals-resolved"));
                    expect(unknown?.message)
                        .to.contain("template resource R (AWS::IAM::Role) AssumeRolePolicyDocument")
                        .and.contain("!GetAtt Other.Arn");
                });
            }

            it("a parameter with no value, as a Lambda permission's principal, names the parameter", async () => {
                const body = [
                    "Parameters:",
                    "  Caller: {Type: String}",
                    "Resources:",
                    "  P:",
                    "    Type: AWS::Lambda::Permission",
                    "    Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: !Ref Caller}",
                ].join("\n");
                const diagnostics = await served().analyze(stack({ templateBody: body }, inManagement));
                const diagnostic = diagnostics.find((d) => d.policyName === "template-principals-resolved");
                // A Lambda permission is not an organization-level resource either.
                expect(summary(diagnostics)).to.deep.equal([
                    "no-compute-in-management-account:mandatory",
                    "template-principals-resolved:mandatory",
                ]);
                expect(diagnostic?.message).to.contain("template resource P (AWS::Lambda::Permission)");
                expect(diagnostic?.message).to.contain("parameter Caller (no value passed and no Default)");
            });

            it("a service permission whose SourceAccount is imported is unknown, not a wildcard", async () => {
                const body = template(permission({ Principal: "s3.amazonaws.com", SourceAccount: { "Fn::ImportValue": "Account" } }));
                const diagnostics = await served().analyze(stack({ templateBody: JSON.stringify(body) }));
                expect(summary(diagnostics)).to.deep.equal(["template-principals-resolved-elsewhere:advisory"]);
                expect(diagnostics[0].message).to.contain("!ImportValue Account");
            });

            it("a wildcard beside an unresolved principal is still a wildcard", async () => {
                const body = template(queuePolicy({ Principal: { AWS: ["*", { "Fn::GetAtt": ["Other", "Arn"] }] } }));
                const diagnostics = await served().analyze(stack({ templateBody: JSON.stringify(body) }));
                expect(summary(diagnostics)).to.deep.equal([
                    "no-wildcard-principals:mandatory",
                    "template-principals-resolved-elsewhere:advisory",
                ]);
            });

            describe("a stack set instance deploys its stack set's template, judged on the StackSet", () => {
                const instance = (props: Record<string, unknown>) =>
                    served().analyze(
                        stack(
                            { stackSetName: "org-access-deploy-role", deploymentTargets: { organizationalUnitIds: ["r-ab12"] }, ...props },
                            inManagement,
                            "aws:cloudformation/stackSetInstance:StackSetInstance",
                        ),
                    );
                it("without parameter overrides it adds nothing the pack has not judged: no violation", async () => {
                    expect(summary(await instance({}))).to.deep.equal([]);
                });
                it("with parameter overrides it may deploy what the pack cannot see: unknown in the management account", async () => {
                    const diagnostics = await instance({ parameterOverrides: { Trusted: "arn:aws:iam::999999999999:root" } });
                    expect(summary(diagnostics)).to.include("template-principals-resolved:mandatory");
                    expect(diagnostics.map((d) => d.message).join("\n")).to.contain("the pack cannot see");
                });
            });

            it("a StackSet's !Ref AWS::AccountId is each target's: unknown in the management account", async () => {
                const body = template(permission({ Principal: "s3.amazonaws.com", SourceAccount: { Ref: "AWS::AccountId" } }));
                const diagnostics = await served().analyze(
                    stack(
                        { templateBody: JSON.stringify(body), permissionModel: "SERVICE_MANAGED" },
                        inManagement,
                        "aws:cloudformation/stackSet:StackSet",
                    ),
                );
                expect(summary(diagnostics)).to.include("template-principals-resolved:mandatory");
                expect(summary(diagnostics)).not.to.include("no-wildcard-principals:mandatory");
            });
        });
    });
});
