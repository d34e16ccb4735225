// Verdicts: what the trust and resource-policy guardrails report. Each function combines a
// principal form (`principal-forms.ts`) with the requirement that confines it (`conditions.ts`,
// `scoping.ts`) and returns a finding, or nothing when the statement or grant is confined.

import {
    findRestrictingClause,
    organizationScopeRequirement,
    organizationScopeValueProblem,
    parseConditionOperator,
    WILDCARD_CHARACTERS,
} from "./conditions";
import { ConditionClause, PolicyStatement, PrincipalBlock, statementLabel } from "./documents";
import { ABSENT, ContextValue, known, PolicyCaller, RequestContext, trustAdmits } from "./evaluator";
import { glob, statementCoversAction } from "./wildcards";
import { principalValues, WildcardAdmission, wildcardAdmission } from "./principal-forms";
import { mfaRequirement, sourceArnProblem } from "./scoping";
import { buildArn, iamArn } from "./arns";

// ------------------------------------------------------------------------------------------------
// Wildcard principals in documents
// ------------------------------------------------------------------------------------------------

export interface WildcardFinding {
    readonly statement: PolicyStatement;
    /** How the statement names its principals, for messages. */
    readonly admission: WildcardAdmission;
    /** Clauses on scoping keys that looked like scoping but do not confine the statement. */
    readonly problems: readonly string[];
    /** The symbolic outsiders the evaluator lets in (`outsiderCallers`), for messages; empty for a malformed principal. */
    readonly outsiders: readonly string[];
}

/**
 * Every Allow statement that lets in a principal outside the organization, asked of the evaluator
 * with symbolic outsiders (`outsiderCallers`): roles and IAM users of accounts the statement does
 * not name, in no organization, another one, or one its org patterns match; an AWS service acting
 * for such an account; a web-identity caller; an anonymous caller. The document's Deny statements
 * take part, so `Principal: "*"` with a Deny unless `aws:PrincipalOrgID` is ours is clean.
 * `organizationId`, when known, is the organization; otherwise an org ID the statement names is
 * presumed to be ours. A principal value with a wildcard inside it (`arn:aws:iam::*:root`,
 * `{"Service": "*"}`), which IAM rejects or reads literally, is reported too: it is a mistake,
 * whoever it admits.
 */
export function unscopedWildcardStatements(statements: readonly PolicyStatement[], organizationId?: string): WildcardFinding[] {
    const findings: WildcardFinding[] = [];
    const requirement = organizationScopeRequirement(organizationId);
    const denies = creditedDenies(statements);
    for (const statement of statements) {
        const admission = wildcardAdmission(statement);
        // Only a wildcard (or NotPrincipal) can name a caller the statement does not name: the
        // evaluator is asked about those statements only, which keeps the pack cheap.
        if (admission === undefined) continue;
        const outsiders = admittedOutsiders(statement, denies, organizationId);
        if (outsiders.length > 0 || malformedWildcard(statement)) {
            const scope = findRestrictingClause(statement.conditions, requirement);
            findings.push({ statement, admission, problems: scope.satisfied ? [] : scope.problems, outsiders });
        }
    }
    return findings;
}

/**
 * Multivalued keys "require a condition set operator"; AWS does not define a plain operator on
 * them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html),
 * so a Deny that relies on one is not credited with keeping anyone out: fail closed.
 */
const MULTIVALUED_KEYS = ["aws:principalorgpaths", "aws:sourceorgpaths", "aws:tagkeys", "aws:principalservicenameslist"];
function plainOperatorOnMultivaluedKey(clause: ConditionClause): boolean {
    return MULTIVALUED_KEYS.includes(clause.key.toLowerCase()) && parseConditionOperator(clause.operator).setOperator === undefined;
}

/** A wildcard inside a `Principal` value other than `"*"` / `{"AWS": "*"}`, which IAM does not read as a pattern. */
function malformedWildcard(statement: PolicyStatement): boolean {
    const block = statement.principal;
    if (block === undefined || block === "*") return false;
    return Object.entries(block).some(([type, values]) =>
        values.some((v) => WILDCARD_CHARACTERS.test(v) && !(type === "AWS" && v === "*")),
    );
}

/** "Allow statement 'TrustOrg' in assumeRolePolicy admits any principal (Principal {"AWS":"*"}) ..." */
export function describeWildcardFinding(finding: WildcardFinding, documentName: string): string {
    const { statement, admission, problems, outsiders } = finding;
    const whom = admission.element === "NotPrincipal" ? "every principal not listed" : "any principal";
    const who =
        outsiders.length > 0
            ? `, so it lets in ${outsiders.slice(0, 2).join(" and ")}${outsiders.length > 2 ? ` and ${outsiders.length - 2} more outsiders` : ""}`
            : ", with a wildcard inside a principal value, which IAM rejects or does not read as a pattern";
    const base =
        `Allow statement ${statementLabel(statement)} in ${documentName} admits ${whom} ` +
        `(${admission.element} ${admission.rendered}) without an organization-scoping condition${who}`;
    return problems.length === 0 ? base : `${base}; ${problems.join("; ")}`;
}

// ------------------------------------------------------------------------------------------------
// Symbolic outsiders
// ------------------------------------------------------------------------------------------------

/** A caller outside the organization, as the evaluator sees it: who, and what its requests carry. */
export interface OutsiderCaller {
    readonly label: string;
    readonly caller: PolicyCaller;
    readonly context: RequestContext;
    /** What the request carries: the known keys and the absent ones; the rest are the caller's to choose. */
    readonly keys: Readonly<Record<string, ContextValue>>;
    /** The action this caller asks with, when it can ask with one action only (a web-identity caller). */
    readonly action?: string;
    /** STS refuses unsigned AssumeRole: an anonymous caller is asked about non-STS actions only. */
    readonly signed: boolean;
}

/** An account the statement names nowhere: the outsider of a wildcard statement. */
export const OUTSIDER_ACCOUNT = "000000000000";
/** An organization nothing names, which the outside account may belong to. */
export const OUTSIDER_ORG = "o-zzzzzzzzzz";
/** A service a statement is not expected to name, acting for an outside account. */
export const OUTSIDER_SERVICE = "outsider.symbolic.amazonaws.com";
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_KEYS = ["aws:principalaccount", "aws:sourceaccount"];
const ORG_KEYS = ["aws:principalorgid", "aws:sourceorgid"];
const PATH_KEYS = ["aws:principalorgpaths", "aws:sourceorgpaths"];
const ARN_KEYS = ["aws:principalarn", "aws:sourcearn"];

/**
 * A value matching `pattern` (IAM's `*`/`?`) that `valid` accepts and `avoid` does not hold, if
 * one is found by filling the wildcards with one repeated character: `11111111111?` gives
 * `111111111119`, `o-ourorg12345*` gives `o-ourorg12345z`.
 */
function instance(pattern: string, alphabet: string, valid: (v: string) => boolean, avoid: ReadonlySet<string>): string | undefined {
    if (!WILDCARD_CHARACTERS.test(pattern)) return undefined;
    for (const c of alphabet) {
        const fixed = pattern.replace(/\*/g, "").length;
        for (const run of [0, 1, 12 - fixed, 12]) {
            const v = pattern.replace(/\?/g, c).replace(/\*/, c.repeat(run)).replace(/\*/g, "");
            if (valid(v) && !avoid.has(v) && glob(pattern, v)) return v;
        }
    }
    return undefined;
}

/**
 * The outsiders to ask about for one statement: the accounts it names are its reviewed decisions,
 * so its outsiders are an account it does not name and one that each of its account patterns
 * matches (`aws:PrincipalAccount`, `aws:SourceAccount`, the account field of `aws:PrincipalArn`
 * and `aws:SourceArn`); each in no organization, and in each organization other than ours that it
 * names or that its org patterns match (`aws:PrincipalOrgID`, `aws:SourceOrgID`, the org of an
 * `aws:PrincipalOrgPaths` value). Per account and organization: a role and an IAM user (and the
 * roles and users its `aws:PrincipalArn` patterns name, instantiated there), and an AWS service
 * acting for that account. Then a web-identity caller and an anonymous one. What each request
 * carries follows the IAM global condition keys
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * only IAM principals carry `aws:Principal*` keys (`aws:PrincipalOrgID` and `...OrgPaths` only
 * when their account is in an organization); only a service acting for a resource carries
 * `aws:Source*`; web-identity and anonymous requests carry neither. Keys the caller chooses
 * (`aws:SecureTransport`, MFA, tags) are free: the outsider picks whatever gets it in.
 */
export function outsiderCallers(
    statement: PolicyStatement,
    organizationId?: string,
    document: readonly PolicyStatement[] = [],
): OutsiderCaller[] {
    const partition = partitionOf([statement, ...document]);
    const values = (keys: readonly string[]) =>
        statement.conditions.filter((c) => keys.includes(c.key.toLowerCase())).flatMap((c) => c.values);
    const text = JSON.stringify([statement.principal, statement.notPrincipal, statement.conditions]);
    const namedAccounts = new Set(text.match(/(?<![0-9])[0-9]{12}(?![0-9])/g) ?? []);
    const namedOrgs = new Set(text.match(/(?<![a-z0-9-])o-[a-z0-9]{10,32}(?![a-z0-9*?])/g) ?? []);
    const ours = new Set(organizationId !== undefined ? [organizationId] : namedOrgs);

    const accounts = new Set([OUTSIDER_ACCOUNT]);
    const accountPatterns = [...values(ACCOUNT_KEYS), ...values(ARN_KEYS).map((arn) => arn.split(":")[4] ?? "")];
    for (const pattern of accountPatterns) {
        const a = instance(pattern, "9876543210", (v) => ACCOUNT_ID.test(v), namedAccounts);
        if (a !== undefined) accounts.add(a);
    }
    const orgs = new Set([OUTSIDER_ORG, ...namedOrgs].filter((o) => !ours.has(o)));
    for (const pattern of [...values(ORG_KEYS), ...values(PATH_KEYS).map((path) => path.split("/")[0])]) {
        const o = instance(pattern, "z9a0", (v) => ORG_ID.test(v), ours);
        if (o !== undefined) orgs.add(o);
    }
    // Role and user names the statement's principal ARN patterns ask for, in any account.
    const names = new Set(["role/outsider", "user/outsider"]);
    for (const arn of values(["aws:principalarn"])) {
        const resource = arn.split(":").slice(5).join(":");
        if (/^(role|user)\//.test(resource)) names.add(resource.replace(/[*?]/g, "x"));
    }

    // Services: one the statement is not expected to name, and each it names (a named service acts
    // for whoever owns the source resource: the confused deputy). Each acts for the outside account
    // from a resource of its own, and from one matching each source ARN the statement names that
    // names no account (a bucket's ARN carries none) or a wildcard there.
    const services = [OUTSIDER_SERVICE, ...namedServices(statement)];
    const sourceArns = values(["aws:sourcearn"]);
    const serviceOutsiders = (account: string, where: string) =>
        services.flatMap((service) => {
            const who = service === OUTSIDER_SERVICE ? "an AWS service" : `AWS service ${service}`;
            const own = {
                service,
                sourceArn: buildArn({ partition, service: "outsider", region: "us-east-1", account, resource: "source" }),
                label: `${who} acting for account ${where}`,
            };
            const matching = sourceArns.flatMap((pattern) => {
                const arn = sourceArnInstance(pattern, account);
                return arn === undefined ? [] : [{ service, sourceArn: arn, label: `${who} acting for account ${where} from ${arn}` }];
            });
            return [own, ...matching];
        });

    const callers: OutsiderCaller[] = [];
    for (const account of accounts) {
        for (const org of [undefined, ...orgs]) {
            const where = `${account}${org === undefined ? " (in no organization)" : ` (of ${org})`}`;
            const orgKeys = (prefix: "Principal" | "Source") => ({
                [`aws:${prefix}OrgID`]: org === undefined ? ABSENT : known(org),
                [`aws:${prefix}OrgPaths`]: org === undefined ? ABSENT : known(`${org}/r-zzzz/ou-zzzz-zzzzzzzz/`),
            });
            const noSource = {
                "aws:SourceAccount": ABSENT,
                "aws:SourceArn": ABSENT,
                "aws:SourceOrgID": ABSENT,
                "aws:SourceOrgPaths": ABSENT,
            };
            for (const name of names) {
                const arn = iamArn(partition, account, name);
                const user = name.startsWith("user/");
                callers.push({
                    label: `${user ? "IAM user" : "a role"} ${arn}${org === undefined ? " (in no organization)" : ` (of ${org})`}`,
                    caller: { kind: "aws", arn, accountId: account, user },
                    ...withKeys({
                        "aws:PrincipalArn": known(arn),
                        "aws:PrincipalAccount": known(account),
                        "aws:PrincipalType": known(user ? "User" : "AssumedRole"),
                        "aws:PrincipalIsAWSService": known("false"),
                        "aws:PrincipalServiceName": ABSENT,
                        "aws:username": user ? known(name.slice("user/".length)) : ABSENT,
                        ...orgKeys("Principal"),
                        ...noSource,
                    }),
                    signed: true,
                });
            }
            for (const { service, sourceArn, label } of serviceOutsiders(account, where)) {
                callers.push({
                    label,
                    caller: { kind: "service", service },
                    ...withKeys({
                        "aws:SourceAccount": known(account),
                        "aws:SourceArn": known(sourceArn),
                        ...orgKeys("Source"),
                        "aws:PrincipalArn": ABSENT,
                        "aws:PrincipalAccount": ABSENT,
                        "aws:PrincipalOrgID": ABSENT,
                        "aws:PrincipalOrgPaths": ABSENT,
                        "aws:PrincipalIsAWSService": known("true"),
                        "aws:PrincipalServiceName": known(service),
                        // A service signs its own requests: no user's MFA is in them.
                        "aws:MultiFactorAuthPresent": ABSENT,
                        "aws:MultiFactorAuthAge": ABSENT,
                    }),
                    signed: true,
                });
            }
        }
    }
    const nobody = {
        "aws:PrincipalArn": ABSENT,
        "aws:PrincipalAccount": ABSENT,
        "aws:PrincipalOrgID": ABSENT,
        "aws:PrincipalOrgPaths": ABSENT,
        "aws:PrincipalIsAWSService": ABSENT,
        "aws:PrincipalServiceName": ABSENT,
        "aws:SourceAccount": ABSENT,
        "aws:SourceArn": ABSENT,
        "aws:SourceOrgID": ABSENT,
        "aws:SourceOrgPaths": ABSENT,
        "aws:MultiFactorAuthPresent": ABSENT,
        "aws:MultiFactorAuthAge": ABSENT,
    };
    callers.push({
        // Google, Cognito, Facebook and Login with Amazon tokens need no IAM provider in the role's
        // account: anyone with such an account is this caller.
        label: "a web-identity caller (any Google account)",
        caller: { kind: "federated", providerArn: "accounts.google.com" },
        ...withKeys(nobody),
        action: "sts:AssumeRoleWithWebIdentity",
        signed: false,
    });
    callers.push({ label: "an anonymous caller", caller: { kind: "anonymous" }, ...withKeys(nobody), signed: false });
    return callers;
}

/** The services a statement's `Principal` names (`s3.amazonaws.com`). */
function namedServices(statement: PolicyStatement): string[] {
    const block = statement.principal;
    return block === undefined || block === "*" ? [] : [...(block.Service ?? [])].filter((s) => !WILDCARD_CHARACTERS.test(s));
}

/**
 * A resource ARN an outside account may own that matches a source ARN pattern: the pattern with
 * the account field set to `account` when it names no account or a wildcard there, the other
 * wildcards filled; undefined when the pattern names an account (a reviewed decision) or is no ARN.
 */
function sourceArnInstance(pattern: string, account: string): string | undefined {
    const parts = pattern.split(":");
    if (parts.length < 6 || parts[4] === undefined || (parts[4] !== "" && !WILDCARD_CHARACTERS.test(parts[4]))) return undefined;
    if (parts[4] !== "") parts[4] = account;
    const arn = parts.join(":").replace(/\*/g, "x").replace(/\?/g, "x");
    return glob(pattern, arn) ? arn : undefined;
}

function withKeys(keys: Record<string, ContextValue>): { context: RequestContext; keys: Record<string, ContextValue> } {
    return { context: new RequestContext(keys), keys };
}

/** The Deny statements of a document the outsider rule credits (`plainOperatorOnMultivaluedKey`). */
export function creditedDenies(statements: readonly PolicyStatement[]): PolicyStatement[] {
    return statements.filter((s) => s.effect === "Deny" && !s.conditions.some(plainOperatorOnMultivaluedKey));
}

/** Does the evaluator let this outsider in through `policy` (an Allow statement and the Deny statements credited) on `action`? */
export function outsiderAdmitted(policy: readonly PolicyStatement[], outsider: OutsiderCaller, action: string): boolean {
    return trustAdmits(policy, outsider.caller, action, outsider.context).admitted;
}

/**
 * The actions to ask with: each action the statement allows, a wildcard standing for an action
 * nothing else names (`sqs:*` as `sqs:Outsider`; `*` or a `NotAction` as `<service>:Outsider` for
 * each service the document names, since a resource policy governs its own service's actions),
 * and each action a Deny of the document names that the statement allows (a Deny may close some
 * of them only).
 */
function actionsToAsk(statement: PolicyStatement, denies: readonly PolicyStatement[]): string[] {
    const services = servicesOf([statement, ...denies]);
    const anyAction = services.size === 0 ? ["symbolic:Outsider"] : [...services].map((service) => `${service}:Outsider`);
    const asked = new Set<string>();
    for (const a of statement.actions ?? [])
        if (a.startsWith("*")) anyAction.forEach((x) => asked.add(x));
        else asked.add(a.replace(/\*/g, "Outsider").replace(/\?/g, "X"));
    if (statement.notActions !== undefined) anyAction.forEach((x) => asked.add(x));
    for (const d of denies) for (const a of d.actions ?? []) if (!WILDCARD_CHARACTERS.test(a)) asked.add(a);
    return [...asked].filter((a) => statementCoversAction(statement, a));
}

/** The services whose actions a document names (`sqs`, `sts`): the ones its resource governs. */
function servicesOf(statements: readonly PolicyStatement[]): Set<string> {
    const services = new Set<string>();
    for (const s of statements)
        for (const a of [...(s.actions ?? []), ...(s.notActions ?? [])]) {
            const service = a.split(":")[0];
            if (a.includes(":") && !WILDCARD_CHARACTERS.test(service)) services.add(service.toLowerCase());
        }
    return services;
}

/**
 * The outsiders (`outsiderCallers`) the evaluator lets in through this Allow statement, with the
 * document's Deny statements, for messages; empty when none gets in.
 */
export function admittedOutsiders(given: PolicyStatement, denies: readonly PolicyStatement[], organizationId?: string): string[] {
    if (given.effect !== "Allow") return [];
    // A statement without Action or NotAction (which IAM rejects) is read as allowing everything: fail closed.
    const statement = given.actions === undefined && given.notActions === undefined ? { ...given, actions: ["*"] } : given;
    const policy = [statement, ...denies];
    const actions = actionsToAsk(statement, denies);
    // A web-identity caller asks STS only: it is an outsider of trusts, not of other services' resources.
    const services = servicesOf(policy);
    const ownAction = (action: string) => services.size === 0 || services.has(action.split(":")[0].toLowerCase());
    const admitted: string[] = [];
    for (const outsider of outsiderCallers(statement, organizationId, denies)) {
        const asks =
            outsider.action !== undefined
                ? [outsider.action].filter((a) => ownAction(a) && statementCoversAction(statement, a))
                : actions.filter((a) => outsider.signed || !a.toLowerCase().startsWith("sts:"));
        if (asks.some((action) => outsiderAdmitted(policy, outsider, action))) admitted.push(outsider.label);
    }
    return admitted;
}

// ------------------------------------------------------------------------------------------------
// IAM users in trusts
// ------------------------------------------------------------------------------------------------

/** A symbolic IAM user the guardrails ask the evaluator about: one of an account the statement may admit. */
export interface SymbolicUser {
    readonly arn: string;
    readonly accountId: string;
    readonly name: string;
    /** For messages: the ARN or pattern the statement names, or the account's users. */
    readonly label: string;
}

/** An account a principal block or condition names: `<id>` or an ARN's account field. */
const ACCOUNT_ID = /^[0-9]{12}$/;
/** An account nothing names: "any other account" for a wildcard principal. */
export const SOME_OTHER_ACCOUNT = "000000000000";

/**
 * The partition a document's ARNs are in, read from all its statements: an Allow with
 * `{"AWS": "*"}` names none, while its Deny may (`arn:aws-us-gov:iam::*:user/*`), and symbolic
 * callers of another partition would slip past that Deny. `aws` when nothing names one.
 */
function partitionOf(statements: readonly PolicyStatement[]): string {
    const text = JSON.stringify(statements.map((s) => [s.principal, s.notPrincipal, s.conditions]));
    return /arn:(aws[a-z-]*):/.exec(text)?.[1] ?? "aws";
}

/**
 * The IAM users to ask about for one statement: a user of each account it names
 * (principals, `aws:PrincipalAccount`, the account of an `aws:PrincipalArn`
 * value; any other account when its principal is a wildcard), and each user
 * ARN it names (principal or `aws:PrincipalArn` value, wildcards instantiated).
 * Who gets in is then the evaluator's answer, not read from the syntax.
 */
export function symbolicUsers(statement: PolicyStatement, document: readonly PolicyStatement[] = []): SymbolicUser[] {
    const partition = partitionOf([statement, ...document]);
    const accounts = new Set<string>();
    const named: string[] = [];
    const principals = [...principalValues(statement.principal, "AWS"), ...principalValues(statement.notPrincipal, "AWS")];
    if (statement.principal === "*" || statement.notPrincipal !== undefined || principals.some((p) => WILDCARD_CHARACTERS.test(p)))
        accounts.add(SOME_OTHER_ACCOUNT);
    for (const p of principals) {
        if (ACCOUNT_ID.test(p)) accounts.add(p);
        else if (ACCOUNT_ID.test(p.split(":")[4] ?? "")) accounts.add(p.split(":")[4]);
        if (p.includes(":user/")) named.push(p);
    }
    for (const c of statement.conditions) {
        const key = c.key.toLowerCase();
        if (key === "aws:principalaccount") c.values.filter((v) => ACCOUNT_ID.test(v)).forEach((v) => accounts.add(v));
        if (key === "aws:principalarn")
            for (const v of c.values) {
                const account = v.split(":")[4] ?? "";
                if (ACCOUNT_ID.test(account)) accounts.add(account);
                if (v.includes(":user/")) named.push(v);
            }
    }
    const users = new Map<string, SymbolicUser>();
    const add = (arn: string, accountId: string, label: string) => {
        const name = arn.split("/").pop() ?? "user";
        users.set(arn, { arn, accountId, name, label });
    };
    for (const account of accounts)
        add(
            iamArn(partition, account, "user/symbolic-user"),
            account,
            account === SOME_OTHER_ACCOUNT ? "any IAM user the conditions admit" : `every IAM user of ${account}`,
        );
    for (const pattern of named) {
        const parts = pattern.split(":");
        const targets = WILDCARD_CHARACTERS.test(parts[4] ?? "") ? [...accounts] : [parts[4]];
        for (const account of targets.filter((a) => ACCOUNT_ID.test(a ?? ""))) {
            const arn = [...parts.slice(0, 4), account, parts.slice(5).join(":").replace(/[*?]/g, "x")].join(":");
            add(arn, account, pattern);
        }
    }
    return [...users.values()];
}

/**
 * Does a trust (`statements`: the Allow statement asked about, with the Deny
 * statements of its document) let this IAM user assume the role with this MFA
 * state? MFA: `"absent"` for long-term access keys, which carry no
 * `aws:MultiFactorAuthPresent` at all; `"false"` for a session signed in
 * without MFA; `"true"` with MFA (IAM global condition keys,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
 * The user's organization and everything it sends itself are its to choose.
 */
export function admitsUser(statements: readonly PolicyStatement[], user: SymbolicUser, mfa: "absent" | "false" | "true"): boolean {
    const context = new RequestContext({
        "aws:PrincipalArn": known(user.arn),
        "aws:PrincipalAccount": known(user.accountId),
        "aws:PrincipalType": known("User"),
        "aws:username": known(user.name),
        "aws:MultiFactorAuthPresent": mfa === "absent" ? ABSENT : known(mfa),
        "aws:MultiFactorAuthAge": mfa === "true" ? known("0") : ABSENT,
        "aws:SourceIdentity": ABSENT,
        "aws:FederatedProvider": ABSENT,
    });
    return trustAdmits(statements, { kind: "aws", arn: user.arn, accountId: user.accountId, user: true }, "sts:AssumeRole", context)
        .admitted;
}

/**
 * The IAM users an Allow statement lets assume the role without MFA, for messages; empty when
 * it admits none. Asked of the evaluator with symbolic callers (`symbolicUsers`): a user of each
 * account the statement may admit, with long-term keys (no MFA key) and with a session signed in
 * without MFA. `denies` are the Deny statements of the same document, which may shut them out.
 */
export function trustedIamUsers(statement: PolicyStatement, denies: readonly PolicyStatement[] = []): string[] {
    if (statement.effect !== "Allow") return [];
    const trust = [statement, ...denies];
    const admitted = symbolicUsers(statement, denies).filter((u) => admitsUser(trust, u, "absent") || admitsUser(trust, u, "false"));
    // An account's users are named by the pattern the statement gives them, when it gives one.
    const named = new Set(admitted.filter((u) => u.name !== "symbolic-user").map((u) => u.accountId));
    const labels = admitted.filter((u) => u.name !== "symbolic-user" || !named.has(u.accountId)).map((u) => u.label);
    return [...new Set(labels)];
}

/** Whether users need MFA to get in; `problems` explain how MFA clauses fall short when they do not. */
export interface MfaVerdict {
    readonly satisfied: boolean;
    readonly problems: readonly string[];
}

/**
 * Does a statement that lets IAM users assume the role require MFA? Undefined: it admits no
 * users, with or without MFA. Unsatisfied: some user gets in without MFA; the problems then
 * explain how the statement's MFA clauses fall short of `Bool aws:MultiFactorAuthPresent true`.
 */
export function userTrustRequiresMfa(statement: PolicyStatement, denies: readonly PolicyStatement[] = []): MfaVerdict | undefined {
    if (statement.effect !== "Allow") return undefined;
    const trust = [statement, ...denies];
    const users = symbolicUsers(statement, denies);
    const withoutMfa = users.some((u) => admitsUser(trust, u, "absent") || admitsUser(trust, u, "false"));
    if (withoutMfa) {
        const clauses = findRestrictingClause(statement.conditions, mfaRequirement());
        return { satisfied: false, problems: clauses.satisfied ? [] : clauses.problems };
    }
    return users.some((u) => admitsUser(trust, u, "true")) ? { satisfied: true, problems: [] } : undefined;
}

// ------------------------------------------------------------------------------------------------
// Permission-style grants (Lambda permissions, layer permissions, event bus permissions)
// ------------------------------------------------------------------------------------------------

/**
 * The inputs of a permission-style resource that decide who gets in, whatever the resource calls
 * them: `aws.lambda.Permission` (`principal`, `sourceAccount`, `sourceArn`, `principalOrgId`),
 * `LayerVersionPermission` (`organizationId`), `cloudwatch.EventPermission` (`condition` on
 * `aws:PrincipalOrgID`), and their aws-native and CloudFormation twins.
 */
export interface PermissionGrant {
    readonly principal?: unknown;
    readonly sourceAccount?: unknown;
    readonly sourceArn?: unknown;
    readonly principalOrgId?: unknown;
}

/** A principal that is an AWS service (`s3.amazonaws.com`), which acts for whoever owns the source. */
export function isServicePrincipal(principal: string): boolean {
    return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(principal);
}

/**
 * The statement AWS writes into the resource's policy for a permission (Lambda `AddPermission`:
 * `Principal` the account root, the service, the ARN or `"*"`; `StringEquals` on
 * `AWS:SourceAccount` and `aws:PrincipalOrgID`, `ArnLike` on `AWS:SourceArn`;
 * https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html). Layer and
 * EventBridge permissions take `aws:PrincipalOrgID` the same way. A principal with a wildcard
 * inside (or empty), which these APIs do not read as a pattern, is taken as `"*"`: fail closed.
 * (`AWS:SourceAccount` is `aws:SourceAccount`: condition keys are case-insensitive.) Undefined for a principal that is not a string (unknown, or left out as unresolved).
 */
export function grantStatement(grant: PermissionGrant): PolicyStatement | undefined {
    const { principal, sourceAccount, sourceArn, principalOrgId } = grant;
    if (typeof principal !== "string") {
        return undefined;
    }
    // An account principal's root ARN is in the partition the grant's other ARNs name.
    const partition = /arn:(aws[a-z-]*):/.exec(JSON.stringify([principal, sourceArn]))?.[1] ?? "aws";
    const block: PrincipalBlock =
        WILDCARD_CHARACTERS.test(principal) || principal === ""
            ? "*"
            : isServicePrincipal(principal)
              ? { Service: [principal] }
              : ACCOUNT_ID.test(principal)
                ? { AWS: [iamArn(partition, principal, "root")] }
                : { AWS: [principal] };
    const clause = (operator: string, key: string, value: unknown): ConditionClause[] =>
        typeof value === "string" && value !== "" ? [{ operator, key, values: [value] }] : [];
    return {
        position: 1,
        effect: "Allow",
        principal: block,
        // Which action decides nothing here: every outsider but the web-identity one (STS only) asks any.
        actions: [GRANT_ACTION],
        conditions: [
            ...clause("StringEquals", "aws:SourceAccount", sourceAccount),
            ...clause("ArnLike", "aws:SourceArn", sourceArn),
            ...clause("StringEquals", "aws:PrincipalOrgID", principalOrgId),
        ],
    };
}

/** The action a permission's statement is asked about (`grantStatement`). */
const GRANT_ACTION = "lambda:InvokeFunction";

/**
 * Why a permission admits principals outside the organization, or undefined when it doesn't.
 * Asked of the evaluator, as `unscopedWildcardStatements` asks of documents: the permission's
 * statement (`grantStatement`) with the symbolic outsiders (`outsiderCallers`): roles and users of
 * accounts it does not name, in no organization or another one, AWS services (the one it names
 * among them) acting for such an account from a resource of theirs or one its source ARN matches,
 * a web-identity caller and an anonymous one. The message says which fields did not confine it.
 */
export function permissionExposure(grant: PermissionGrant, organizationId?: string): string | undefined {
    const statement = grantStatement(grant);
    if (statement === undefined) {
        return undefined;
    }
    const outsiders = admittedOutsiders(statement, [], organizationId);
    if (outsiders.length === 0) {
        return undefined;
    }
    const { principal, sourceAccount, sourceArn, principalOrgId } = grant;
    const problems: string[] = [];
    if (typeof sourceAccount === "string" && sourceAccount !== "") {
        problems.push(
            `sourceAccount ${organizationScopeValueProblem(sourceAccount, "aws:SourceAccount", organizationId) ?? "confines no service caller"}`,
        );
    }
    if (typeof principalOrgId === "string" && principalOrgId !== "") {
        problems.push(
            `principalOrgId ${organizationScopeValueProblem(principalOrgId, "aws:PrincipalOrgID", organizationId) ?? "confines no caller outside IAM"}`,
        );
    }
    if (typeof sourceArn === "string" && sourceArn !== "") {
        problems.push(sourceArnProblem(sourceArn) ?? `sourceArn ${JSON.stringify(sourceArn)} confines no IAM caller`);
    }
    const who = `, so it lets in ${outsiders.slice(0, 2).join(" and ")}${outsiders.length > 2 ? ` and ${outsiders.length - 2} more outsiders` : ""}`;
    const base =
        statement.principal === "*"
            ? `permission admits any principal (principal ${JSON.stringify(principal)}) without sourceAccount, a one-account sourceArn or principalOrgId${who}`
            : `permission admits service ${String(principal)} acting for any account (confused deputy) without sourceAccount, a one-account sourceArn or principalOrgId${who}`;
    return problems.length === 0 ? base : `${base}; ${problems.join("; ")}`;
}
