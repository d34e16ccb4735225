import { expect } from "chai";
import { parsePolicyDocument, PolicyStatement } from "../../policy-pack/documents";
import { federatedTrusts } from "../../policy-pack/principal-forms";
import { DEFAULT_SUBJECT_REQUIRED_ISSUERS, issuerRequiresSubject, sourceArnProblem, subjectValueProblem } from "../../policy-pack/scoping";
import {
    describeWildcardFinding,
    permissionExposure,
    trustedIamUsers,
    unscopedWildcardStatements,
    userTrustRequiresMfa,
} from "../../policy-pack/verdicts";
import { admitsInsider, admitsOutsider, documentAllows, FOREIGN_ACCOUNT, FOREIGN_ORG, OUR_ACCOUNT, OUR_ORG } from "./iam-oracle";

function statementOf(raw: object): PolicyStatement {
    const parsed = parsePolicyDocument({ Version: "2012-10-17", Statement: raw });
    if (!parsed.ok) {
        throw new Error(`test statement does not parse: ${parsed.reason}`);
    }
    return parsed.document.statements[0];
}

interface WildcardCase {
    readonly name: string;
    readonly statement: object;
    /** Our verdict: the statement admits principals outside the organization. */
    readonly unscoped: boolean;
    /**
     * Why we deliberately flag a statement that IAM would not actually open to outsiders (or why
     * the oracle cannot evaluate it). Such cases skip the oracle comparison.
     */
    readonly notOracleComparable?: string;
    /** Why a scoped case need not admit our own organization either. */
    readonly insiderMayBeDenied?: string;
}

const anyone = { Effect: "Allow", Principal: { AWS: "*" } };
const orgIs = (operator: string, key: string, value: unknown) => ({ ...anyone, Condition: { [operator]: { [key]: value } } });

const WILDCARD_CASES: readonly WildcardCase[] = [
    { name: 'Principal "*"', statement: { Effect: "Allow", Principal: "*" }, unscoped: true },
    { name: 'Principal {"AWS":"*"}', statement: anyone, unscoped: true },
    {
        name: '"*" inside a principal list',
        statement: { Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${OUR_ACCOUNT}:root`, "*"] } },
        unscoped: true,
    },
    {
        name: "partial wildcard ARN arn:aws:iam::*:root",
        statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::*:root" } },
        unscoped: true,
        notOracleComparable: "AWS rejects partial wildcard principals; we must not read it as one account",
    },
    {
        name: "NotPrincipal with Allow",
        statement: { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${OUR_ACCOUNT}:root` } },
        unscoped: true,
    },
    { name: "Deny with *", statement: { Effect: "Deny", Principal: "*" }, unscoped: false },
    { name: "a specific account", statement: { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OUR_ACCOUNT}:root` } }, unscoped: false },
    {
        name: "a service principal",
        statement: { Effect: "Allow", Principal: { Service: "sns.amazonaws.com" } },
        unscoped: false,
        notOracleComparable: "service principal; outsiders are not that service",
    },
    { name: "StringEquals aws:PrincipalOrgID (our org)", statement: orgIs("StringEquals", "aws:PrincipalOrgID", OUR_ORG), unscoped: false },
    { name: "condition key in another case", statement: orgIs("StringEquals", "AWS:principalorgid", OUR_ORG), unscoped: false },
    {
        name: "StringEqualsIgnoreCase aws:PrincipalOrgID",
        statement: orgIs("StringEqualsIgnoreCase", "aws:PrincipalOrgID", OUR_ORG),
        unscoped: false,
    },
    {
        name: "ForAnyValue:StringEquals aws:PrincipalOrgID",
        statement: orgIs("ForAnyValue:StringEquals", "aws:PrincipalOrgID", OUR_ORG),
        unscoped: false,
    },
    {
        name: "StringEquals aws:PrincipalOrgID of another org",
        statement: orgIs("StringEquals", "aws:PrincipalOrgID", FOREIGN_ORG),
        unscoped: true,
    },
    {
        name: "StringEqualsIfExists aws:PrincipalOrgID",
        statement: orgIs("StringEqualsIfExists", "aws:PrincipalOrgID", OUR_ORG),
        unscoped: true,
    },
    { name: "StringNotEquals aws:PrincipalOrgID", statement: orgIs("StringNotEquals", "aws:PrincipalOrgID", OUR_ORG), unscoped: true },
    { name: "StringNotLike aws:PrincipalOrgID", statement: orgIs("StringNotLike", "aws:PrincipalOrgID", "o-other*"), unscoped: true },
    { name: "Null aws:PrincipalOrgID false", statement: orgIs("Null", "aws:PrincipalOrgID", "false"), unscoped: true },
    { name: 'StringLike aws:PrincipalOrgID "*"', statement: orgIs("StringLike", "aws:PrincipalOrgID", "*"), unscoped: true },
    { name: 'StringLike aws:PrincipalOrgID "o-*"', statement: orgIs("StringLike", "aws:PrincipalOrgID", "o-*"), unscoped: true },
    {
        name: "StringLike aws:PrincipalOrgID with a partial wildcard",
        statement: orgIs("StringLike", "aws:PrincipalOrgID", "o-ourorg1234?"),
        unscoped: true,
        notOracleComparable: "the pattern happens to miss the oracle's outsider but matches other orgs",
    },
    { name: "value list with a wildcard-only entry", statement: orgIs("StringLike", "aws:PrincipalOrgID", [OUR_ORG, "*"]), unscoped: true },
    {
        name: 'StringEquals with a literal "*" value',
        statement: orgIs("StringEquals", "aws:PrincipalOrgID", [OUR_ORG, "*"]),
        // Was flagged when the rule read the value's syntax; StringEquals compares "*" literally, so
        // it matches no organization's ID and lets only ours in (the rule now asks the evaluator).
        unscoped: false,
    },
    {
        name: "ForAnyValue:StringLike aws:PrincipalOrgPaths under our org",
        statement: orgIs("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", `${OUR_ORG}/*`),
        unscoped: false,
    },
    {
        name: "ForAnyValue:StringLike aws:PrincipalOrgPaths to an OU",
        statement: orgIs("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", `${OUR_ORG}/r-ab12/ou-ab12-11111111/*`),
        unscoped: false,
    },
    {
        name: "StringLike aws:PrincipalOrgPaths without a set operator",
        statement: orgIs("StringLike", "aws:PrincipalOrgPaths", `${OUR_ORG}/*`),
        unscoped: false,
        insiderMayBeDenied: "a plain operator on a multivalued key may match no one; it never admits outsiders",
    },
    {
        name: "ForAllValues:StringLike aws:PrincipalOrgPaths",
        statement: orgIs("ForAllValues:StringLike", "aws:PrincipalOrgPaths", `${OUR_ORG}/*`),
        unscoped: true,
    },
    {
        name: "ForAllValues:StringEquals aws:PrincipalOrgID with Null false (the documented idiom)",
        statement: {
            ...anyone,
            Condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": OUR_ORG }, Null: { "aws:PrincipalOrgID": "false" } },
        },
        unscoped: false,
    },
    {
        name: "StringEqualsIfExists aws:PrincipalOrgID with Null false",
        statement: {
            ...anyone,
            Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG }, Null: { "AWS:PrincipalOrgId": "false" } },
        },
        unscoped: false,
    },
    {
        name: "ForAllValues with Null [false, true] (presence not required)",
        statement: {
            ...anyone,
            Condition: {
                "ForAllValues:StringEquals": { "aws:PrincipalOrgID": OUR_ORG },
                Null: { "aws:PrincipalOrgID": ["false", "true"] },
            },
        },
        unscoped: true,
    },
    {
        name: "ForAllValues:StringLike paths with a ForAnyValue clause requiring the key",
        statement: {
            ...anyone,
            Condition: {
                "ForAllValues:StringLike": { "aws:PrincipalOrgPaths": `${OUR_ORG}/*` },
                "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-*/*" },
            },
        },
        unscoped: false,
    },
    {
        name: "ForAllValues with a negated clause on the same key (absent key still passes)",
        statement: {
            ...anyone,
            Condition: {
                "ForAllValues:StringEquals": { "aws:PrincipalOrgID": OUR_ORG },
                StringNotEquals: { "aws:PrincipalOrgID": FOREIGN_ORG },
            },
        },
        unscoped: true,
    },
    {
        name: "ForAllValues with Null false on another key",
        statement: {
            ...anyone,
            Condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": OUR_ORG }, Null: { "aws:PrincipalAccount": "false" } },
        },
        unscoped: true,
    },
    {
        name: 'ForAnyValue:StringLike aws:PrincipalOrgPaths "o-*/*"',
        statement: orgIs("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-*/*"),
        unscoped: true,
    },
    { name: "StringEquals aws:PrincipalAccount", statement: orgIs("StringEquals", "aws:PrincipalAccount", OUR_ACCOUNT), unscoped: false },
    { name: "StringEquals aws:SourceAccount", statement: orgIs("StringEquals", "aws:SourceAccount", OUR_ACCOUNT), unscoped: false },
    { name: "StringEquals aws:SourceOrgID", statement: orgIs("StringEquals", "aws:SourceOrgID", OUR_ORG), unscoped: false },
    { name: 'StringLike aws:SourceAccount "*"', statement: orgIs("StringLike", "aws:SourceAccount", "*"), unscoped: true },
    {
        name: "org condition ANDed with an unrelated negated condition",
        statement: {
            ...anyone,
            Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG }, StringNotEquals: { "aws:PrincipalAccount": "222222222222" } },
        },
        unscoped: false,
    },
    {
        name: "IfExists org condition ANDed with a real one",
        statement: {
            ...anyone,
            Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG }, StringEquals: { "aws:PrincipalAccount": OUR_ACCOUNT } },
        },
        unscoped: false,
    },
    {
        name: "ArnLike aws:PrincipalArn (not an organization-scoping key)",
        statement: orgIs("ArnLike", "aws:PrincipalArn", `arn:aws:iam::${OUR_ACCOUNT}:role/*`),
        // Was flagged when only the five org/account keys counted as scoping: it admits roles of one member account only.
        unscoped: false,
    },
    {
        name: "ArnLike aws:PrincipalArn of any account's role with a given name",
        statement: orgIs("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/admin"),
        unscoped: true,
        notOracleComparable: "the oracle's outsider roles are named 'outsider', not 'admin'",
    },
    {
        name: "Deny unless aws:PrincipalOrgID is ours, beside the Allow",
        statement: [
            anyone,
            { Effect: "Deny", Principal: "*", Action: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": OUR_ORG } } },
        ],
        unscoped: false,
        notOracleComparable: "the oracle takes one statement",
    },
    {
        name: "StringEquals aws:SourceAccount only (a service for one account; IAM principals lack the key)",
        statement: { Effect: "Allow", Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": OUR_ACCOUNT } } },
        unscoped: false,
    },
];

describe("wildcard principal analysis", () => {
    for (const testCase of WILDCARD_CASES) {
        it(`${testCase.name} is ${testCase.unscoped ? "flagged" : "accepted"}`, () => {
            const parsed = parsePolicyDocument({ Version: "2012-10-17", Statement: testCase.statement });
            if (!parsed.ok) throw new Error(parsed.reason);
            const findings = unscopedWildcardStatements(parsed.document.statements, OUR_ORG);
            expect(findings.length, JSON.stringify(findings)).to.equal(testCase.unscoped ? 1 : 0);
        });
    }

    describe("agrees with an independent IAM evaluator", () => {
        for (const testCase of WILDCARD_CASES.filter((c) => c.notOracleComparable === undefined)) {
            it(testCase.name, async () => {
                expect(await admitsOutsider(testCase.statement), "outsider admitted").to.equal(testCase.unscoped);
                if (!testCase.unscoped && testCase.insiderMayBeDenied === undefined && "Condition" in testCase.statement) {
                    // A scoped statement must still let the organization in, or the case proves nothing.
                    expect(await admitsInsider(testCase.statement), "insider admitted").to.equal(true);
                }
            });
        }
    });

    it("without a configured organization, any complete org ID scopes", () => {
        const foreign = statementOf(orgIs("StringEquals", "aws:PrincipalOrgID", FOREIGN_ORG));
        expect(unscopedWildcardStatements([foreign])).to.have.length(0);
        expect(unscopedWildcardStatements([foreign], OUR_ORG)).to.have.length(1);
    });

    it("names the statement, the document and the principal as written", () => {
        const [finding] = unscopedWildcardStatements([statementOf({ Sid: "TrustOrg", ...anyone })]);
        expect(describeWildcardFinding(finding, "assumeRolePolicy")).to.equal(
            'Allow statement \'TrustOrg\' in assumeRolePolicy admits any principal (Principal {"AWS":"*"}) without an organization-scoping ' +
                "condition, so it lets in a role arn:aws:iam::000000000000:role/outsider (in no organization) and IAM user " +
                "arn:aws:iam::000000000000:user/outsider (in no organization) and 6 more outsiders",
        );
    });

    it("explains why a near-miss condition does not scope", () => {
        const [finding] = unscopedWildcardStatements([statementOf(orgIs("StringEqualsIfExists", "aws:PrincipalOrgID", OUR_ORG))]);
        expect(finding.problems).to.have.length(1);
        expect(finding.problems[0]).to.contain("StringEqualsIfExists").and.contain("absent");
    });
});

describe("a document's source ARN that names no account", () => {
    // An SNS topic policy for S3 notifications: a bucket's ARN carries no account, so a service
    // acting for another account that owns a bucket of that name (after a deletion) matches it.
    const fromBucket = (extra: object) => ({
        Effect: "Allow",
        Principal: "*",
        Action: "sns:Publish",
        Resource: "*",
        Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::bucket" }, ...extra },
    });
    const bucketOwner = {
        label: "S3 acting for another account's bucket",
        principal: "s3.amazonaws.com",
        context: { "aws:SourceArn": "arn:aws:s3:::bucket", "aws:SourceAccount": FOREIGN_ACCOUNT, "aws:SecureTransport": "true" },
    };
    for (const { name, statement, exposed } of [
        { name: "alone", statement: fromBucket({}), exposed: true },
        {
            name: "with our account as aws:SourceAccount",
            statement: fromBucket({ StringEquals: { "aws:SourceAccount": OUR_ACCOUNT } }),
            exposed: false,
        },
    ]) {
        it(`${name}: ${exposed ? "admits a service acting for an outside account" : "confined"}, as IAM decides`, async () => {
            const oracle = await documentAllows("topic", { Version: "2012-10-17", Statement: [statement] }, bucketOwner);
            expect(oracle.ok && oracle.admitted, "simulator").to.equal(exposed);
            expect(unscopedWildcardStatements([statementOf(statement)], OUR_ORG).length > 0, "rule").to.equal(exposed);
        });
    }
});

describe("permission exposure (Lambda, layer and EventBridge permissions)", () => {
    const cases: ReadonlyArray<{ name: string; grant: object; exposed: boolean }> = [
        { name: "principal * alone", grant: { principal: "*" }, exposed: true },
        { name: "principal * with sourceAccount", grant: { principal: "*", sourceAccount: OUR_ACCOUNT }, exposed: false },
        {
            name: "principal * with a one-account sourceArn",
            grant: { principal: "*", sourceArn: `arn:aws:sns:us-east-1:${OUR_ACCOUNT}:topic` },
            exposed: false,
        },
        // Bucket ARNs carry no account: anyone's bucket of that name (after a deletion) matches.
        { name: "principal * with a bucket sourceArn", grant: { principal: "*", sourceArn: "arn:aws:s3:::bucket" }, exposed: true },
        { name: "principal * with arn:aws:s3:::*", grant: { principal: "*", sourceArn: "arn:aws:s3:::*" }, exposed: true },
        {
            name: "principal * with a wildcard-account API ARN",
            grant: { principal: "*", sourceArn: "arn:aws:execute-api:us-east-1:*:*" },
            exposed: true,
        },
        {
            name: "S3 service with a bucket sourceArn only",
            grant: { principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::bucket" },
            exposed: true,
        },
        {
            name: "S3 service with a bucket sourceArn and sourceAccount",
            grant: { principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::bucket", sourceAccount: OUR_ACCOUNT },
            exposed: false,
        },
        {
            name: "API Gateway with its API's ARN",
            grant: { principal: "apigateway.amazonaws.com", sourceArn: `arn:aws:execute-api:us-east-1:${OUR_ACCOUNT}:a1b2c3/*/GET/` },
            exposed: false,
        },
        {
            name: "API Gateway with a wildcard-account ARN",
            grant: { principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:us-east-1:*:*" },
            exposed: true,
        },
        { name: "principal * with our principalOrgId", grant: { principal: "*", principalOrgId: OUR_ORG }, exposed: false },
        { name: "principal * with another org's principalOrgId", grant: { principal: "*", principalOrgId: FOREIGN_ORG }, exposed: true },
        { name: "principal * with sourceArn *", grant: { principal: "*", sourceArn: "*" }, exposed: true },
        { name: "principal * with an empty sourceAccount", grant: { principal: "*", sourceAccount: "" }, exposed: true },
        { name: "a service principal with nothing confining it", grant: { principal: "s3.amazonaws.com" }, exposed: true },
        { name: "an account principal", grant: { principal: OUR_ACCOUNT }, exposed: false },
        { name: "an account principal ARN", grant: { principal: `arn:aws:iam::${OUR_ACCOUNT}:root` }, exposed: false },
    ];
    for (const { name, grant, exposed } of cases) {
        it(`${name}: ${exposed ? "exposed" : "confined"}`, () => {
            expect(permissionExposure(grant, OUR_ORG) !== undefined).to.equal(exposed);
        });
    }

    // Where reading the grant's fields (as the rule did) and asking the evaluator part: a grant that
    // looks unconfined but admits no one, beside its twin that admits an outsider.
    const evaluated: ReadonlyArray<{ name: string; grant: object; exposed: boolean }> = [
        {
            name: "a service with another organization's principalOrgId admits no one (a service carries no aws:PrincipalOrgID)",
            grant: { principal: "s3.amazonaws.com", principalOrgId: FOREIGN_ORG },
            exposed: false,
        },
        { name: "its twin without principalOrgId", grant: { principal: "s3.amazonaws.com" }, exposed: true },
        {
            name: "principal * with sourceAccount * admits no one (StringEquals reads * literally)",
            grant: { principal: "*", sourceAccount: "*" },
            exposed: false,
        },
        { name: "its twin with an empty sourceAccount", grant: { principal: "*", sourceAccount: "" }, exposed: true },
        {
            name: "principal * with principalOrgId o-ourorg* admits no one (StringEquals reads * literally)",
            grant: { principal: "*", principalOrgId: "o-ourorg*" },
            exposed: false,
        },
        {
            name: "its twin with another organization's principalOrgId",
            grant: { principal: "*", principalOrgId: FOREIGN_ORG },
            exposed: true,
        },
    ];
    for (const { name, grant, exposed } of evaluated) {
        it(`${name}: ${exposed ? "exposed" : "confined"}`, () => {
            expect(permissionExposure(grant, OUR_ORG) !== undefined).to.equal(exposed);
        });
    }

    it("names who gets in", () => {
        expect(permissionExposure({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::bucket" }, OUR_ORG)).to.contain(
            "AWS service s3.amazonaws.com acting for account 000000000000 (in no organization) from arn:aws:s3:::bucket",
        );
    });

    it("says why an account-less source ARN does not confine", () => {
        expect(sourceArnProblem("arn:aws:s3:::*")).to.contain("names no account");
        expect(sourceArnProblem("arn:aws:execute-api:us-east-1:*:*")).to.contain("does not name one account");
        expect(sourceArnProblem(`arn:aws:events:us-east-1:${OUR_ACCOUNT}:rule/r`)).to.equal(undefined);
    });
});

describe("federated trust detection", () => {
    const cases: ReadonlyArray<{ name: string; statement: object; trusts: string[] }> = [
        {
            name: "SAML provider principal",
            statement: {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::222222222222:saml-provider/Okta" },
                Action: "sts:AssumeRoleWithSAML",
            },
            trusts: ["saml"],
        },
        {
            name: "SAML action without a provider principal",
            statement: { Effect: "Allow", Principal: { Federated: "*" }, Action: "sts:AssumeRoleWithSAML" },
            trusts: ["saml"],
        },
        {
            name: "OIDC provider ARN",
            statement: {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
            },
            trusts: ["oidc:token.actions.githubusercontent.com"],
        },
        {
            name: "EKS OIDC provider with a path",
            statement: {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123" },
                Action: "sts:AssumeRoleWithWebIdentity",
            },
            trusts: ["oidc:oidc.eks.eu-west-1.amazonaws.com/id/ABC123"],
        },
        {
            name: "well-known web identity provider",
            statement: {
                Effect: "Allow",
                Principal: { Federated: "cognito-identity.amazonaws.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
            },
            trusts: ["oidc:cognito-identity.amazonaws.com"],
        },
        {
            name: "web identity action with no Federated principal",
            statement: { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRoleWithWebIdentity" },
            trusts: ["oidc:?"],
        },
        // Recognised by what the actions allow, not by how they are spelt (issue #13).
        ...["sts:AssumeRoleWith*", "sts:*", "*", "STS:assumerolewithwebidentity"].map((action) => ({
            name: `GitHub OIDC trust with Action ${action}`,
            statement: {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" },
                Action: action,
            },
            trusts: ["oidc:token.actions.githubusercontent.com"],
        })),
        {
            name: "Google web identity with NotAction leaving AssumeRoleWithWebIdentity in",
            statement: { Effect: "Allow", Principal: { Federated: "accounts.google.com" }, NotAction: "sts:AssumeRole" },
            trusts: ["oidc:accounts.google.com"],
        },
        {
            name: "SAML trust with sts:AssumeRoleWith*",
            statement: {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::222222222222:saml-provider/Okta" },
                Action: "sts:AssumeRoleWith*",
            },
            trusts: ["saml"],
        },
        {
            name: "sts:* on an AWS account principal is not federation",
            statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:*" },
            trusts: [],
        },
        {
            name: "a Federated name with only sts:AssumeRole",
            statement: { Effect: "Allow", Principal: { Federated: "accounts.google.com" }, Action: "sts:AssumeRole" },
            trusts: [],
        },
        {
            name: "an AWS account principal",
            statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" },
            trusts: [],
        },
        {
            name: "a Deny for a provider",
            statement: {
                Effect: "Deny",
                Principal: { Federated: "arn:aws:iam::222222222222:saml-provider/Okta" },
                Action: "sts:AssumeRoleWithSAML",
            },
            trusts: [],
        },
    ];
    for (const { name, statement, trusts } of cases) {
        it(name, () => {
            const found = federatedTrusts(statementOf(statement)).map((t) => (t.kind === "saml" ? "saml" : `oidc:${t.host ?? "?"}`));
            expect(found).to.deep.equal(trusts);
        });
    }
});

describe("OIDC subject patterns", () => {
    const cases: ReadonlyArray<[string, boolean]> = [
        ["repo:my-org/my-repo:ref:refs/heads/main", true],
        ["repo:my-org/my-repo:environment:prod", true],
        ["repo:my-org/*", true],
        ["repo:my-org/my-repo:*", true],
        ["organization:my-org:project:*:workspace:*:run_phase:*", true],
        ["project_path:my-group/*", true],
        ["repo:exact-without-wildcards", true],
        // GitHub's immutable subject format: repo:OWNER@OWNER_ID/REPO@REPO_ID:...
        ["repo:octo-org@1234567/octo-repo@7654321:ref:refs/heads/main", true],
        ["repo:octo-org@1234567/octo-repo@7654321:*", true],
        ["repo:octo-org@1234567/*", true],
        ["repo:octo-org@*/octo-repo@7654321:*", false],
        ["repo:*@1234567/octo-repo@7654321:*", false],
        ["repo:octo-org@1234567/octo-repo@*:*", false],
        ["repo:octo-org@1234567/*@7654321:*", false],
        ["*", false],
        ["**", false],
        ["repo:*", false],
        ["repo:*:*", false],
        ["repo:my-org*", false],
        ["repo:?y-org/*", false],
        ["*:my-org/*", false],
        ["", false],
    ];
    for (const [value, scoped] of cases) {
        it(`${JSON.stringify(value)} is ${scoped ? "scoped" : "a bare wildcard"}`, () => {
            expect(subjectValueProblem(value) === undefined).to.equal(scoped);
        });
    }

    it("shared CI issuers are matched as a host or a path under it", () => {
        expect(issuerRequiresSubject("token.actions.githubusercontent.com", DEFAULT_SUBJECT_REQUIRED_ISSUERS)).to.equal(true);
        expect(issuerRequiresSubject("token.actions.githubusercontent.com/my-enterprise", DEFAULT_SUBJECT_REQUIRED_ISSUERS)).to.equal(true);
        expect(issuerRequiresSubject("token.actions.githubusercontent.com.evil.example", DEFAULT_SUBJECT_REQUIRED_ISSUERS)).to.equal(false);
        expect(issuerRequiresSubject("oidc.eks.eu-west-1.amazonaws.com/id/ABC", DEFAULT_SUBJECT_REQUIRED_ISSUERS)).to.equal(false);
    });
});

describe("MFA on trusts that admit IAM users", () => {
    const user = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:user/alice" }, Action: "sts:AssumeRole" };
    const cases: ReadonlyArray<{ name: string; statement: object; verdict: "requires-mfa" | "missing-mfa" | "not-applicable" }> = [
        { name: "no condition", statement: user, verdict: "missing-mfa" },
        {
            name: "Bool true",
            statement: { ...user, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
            verdict: "requires-mfa",
        },
        {
            name: "Bool JSON true, key in lower case",
            statement: { ...user, Condition: { Bool: { "aws:multifactorauthpresent": true } } },
            verdict: "requires-mfa",
        },
        {
            name: "BoolIfExists true",
            statement: { ...user, Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } },
            verdict: "missing-mfa",
        },
        {
            name: "Bool false",
            statement: { ...user, Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } },
            verdict: "missing-mfa",
        },
        {
            name: "Bool [true, false]",
            statement: { ...user, Condition: { Bool: { "aws:MultiFactorAuthPresent": ["true", "false"] } } },
            verdict: "missing-mfa",
        },
        {
            name: "Null false (presence only)",
            statement: { ...user, Condition: { Null: { "aws:MultiFactorAuthPresent": "false" } } },
            verdict: "missing-mfa",
        },
        { name: "sts:* covers AssumeRole", statement: { ...user, Action: "sts:*" }, verdict: "missing-mfa" },
        { name: "only sts:TagSession", statement: { ...user, Action: "sts:TagSession" }, verdict: "not-applicable" },
        {
            name: "a role principal",
            statement: { ...user, Principal: { AWS: "arn:aws:iam::222222222222:role/ci" } },
            verdict: "not-applicable",
        },
        { name: "a Deny", statement: { ...user, Effect: "Deny" }, verdict: "not-applicable" },
        // Users admitted without being named (issue #13).
        {
            name: "all users of the access account by aws:PrincipalArn",
            statement: {
                ...user,
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:user/*" } },
            },
            verdict: "missing-mfa",
        },
        {
            name: "all users of the access account by aws:PrincipalArn, with MFA",
            statement: {
                ...user,
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Condition: {
                    Bool: { "aws:MultiFactorAuthPresent": "true" },
                    ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:user/*" },
                },
            },
            verdict: "requires-mfa",
        },
        {
            name: "an account root without conditions",
            statement: { ...user, Principal: { AWS: "arn:aws:iam::222222222222:root" } },
            verdict: "missing-mfa",
        },
        { name: "a bare account ID", statement: { ...user, Principal: { AWS: "222222222222" } }, verdict: "missing-mfa" },
        {
            name: "an account root narrowed to roles",
            statement: {
                ...user,
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/*" } },
            },
            verdict: "not-applicable",
        },
        {
            // aws:PrincipalArn is present on every request of an IAM principal, so IfExists narrows exactly as ArnLike does.
            name: "an account root narrowed to roles under IfExists (the key is always present: users are out)",
            statement: {
                ...user,
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Condition: { ArnLikeIfExists: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/*" } },
            },
            verdict: "not-applicable",
        },
        {
            name: "any principal of the organization (users without MFA get in)",
            statement: { ...user, Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } } },
            verdict: "missing-mfa",
        },
        {
            name: "any principal of the organization but users (ArnNotLike aws:PrincipalArn user/*)",
            statement: {
                ...user,
                Principal: { AWS: "*" },
                Condition: {
                    StringEquals: { "aws:PrincipalOrgID": OUR_ORG },
                    ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" },
                },
            },
            verdict: "not-applicable",
        },
        {
            name: "MFA age alone (NumericLessThan is false when the key is absent: long-term keys are out)",
            statement: { ...user, Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } } },
            verdict: "requires-mfa",
        },
        {
            name: "any principal of the organization narrowed to users",
            statement: {
                ...user,
                Principal: { AWS: "*" },
                Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG }, ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } },
            },
            verdict: "missing-mfa",
        },
        {
            // IAM rejects a wildcard inside a principal ARN (no-wildcard-principals reports it); it admits nobody.
            name: "a user path wildcard as the principal",
            statement: { ...user, Principal: { AWS: "arn:aws:iam::222222222222:user/admins/*" } },
            verdict: "not-applicable",
        },
        {
            name: "a user path pattern in aws:PrincipalArn",
            statement: {
                ...user,
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:user/admins/*" } },
            },
            verdict: "missing-mfa",
        },
    ];
    for (const { name, statement, verdict } of cases) {
        it(`${name}: ${verdict}`, () => {
            const result = userTrustRequiresMfa(statementOf(statement));
            const actual = result === undefined ? "not-applicable" : result.satisfied ? "requires-mfa" : "missing-mfa";
            expect(actual).to.equal(verdict);
        });
    }

    it("names the users an account trust admits", () => {
        const statement = statementOf({
            ...user,
            Principal: { AWS: "arn:aws:iam::222222222222:root" },
            Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:user/*" } },
        });
        expect(trustedIamUsers(statement)).to.deep.equal(["arn:aws:iam::222222222222:user/*"]);
    });
});
