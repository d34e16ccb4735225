import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { X509Certificate } from "node:crypto";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { certificateProblem, samlMetadataProblem } from "../config/saml-metadata";
import { readStackConfig } from "../offline/stack-files";

const ROOT = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const EXAMPLE = "config/examples/okta-metadata.xml";
const certificateOf = (xml: string) => (/<ds:X509Certificate>([^<]+)</.exec(xml) ?? ["", ""])[1];

/** The repository's access config with its SAML provider's metadata read from `file`. */
function withMetadataFile(file: string): Record<string, string> {
    const config = readStackConfig("access");
    const identity = JSON.parse(config["org-access:identity"]) as { saml: { name: string; metadataFile?: string }[] };
    identity.saml[0] = { name: "okta", metadataFile: file };
    return { ...config, "org-access:identity": JSON.stringify(identity) };
}

describe("SAML signing certificates are X.509 (config/saml-metadata.ts)", () => {
    it("the example's certificate is a real X.509 certificate, valid now and for decades", () => {
        const xml = read(EXAMPLE);
        const certificate = new X509Certificate(Buffer.from(certificateOf(xml), "base64"));
        expect(new Date(certificate.validTo).getUTCFullYear()).to.be.greaterThan(2100);
        expect(samlMetadataProblem(xml)).to.equal(undefined);
        expect(() => parseStackConfig(readStackConfig("access"))).to.not.throw();
    });

    it("judges validity by the clock: the example's certificate is refused once it has expired", () => {
        const xml = read(EXAMPLE);
        const validTo = new Date(new X509Certificate(Buffer.from(certificateOf(xml), "base64")).validTo);
        expect(samlMetadataProblem(xml, new Date(validTo.getTime() - 1000))).to.equal(undefined);
        expect(samlMetadataProblem(xml, new Date(validTo.getTime() + 1000)))
            .to.include('entity "http://www.okta.com/exk0example0000000000"')
            .and.include(`expired on ${validTo.toISOString()}`);
    });

    it("an expired certificate in a metadata file: one line naming the key, the file and the entity", () => {
        const file = "tests/fixtures/saml/expired-metadata.xml";
        expect(() => parseStackConfig(withMetadataFile(file))).to.throw(
            ConfigError,
            `org-access:identity.saml[0].metadataFile: "${file}" has a signing certificate (the only one) for entity "http://idp.example.com/expired" that expired on 2021-01-01T00:00:00.000Z (subject CN=expired-example)`,
        );
    });

    it("a malformed certificate (the one the example used to ship): refused, naming the file and the entity", () => {
        const file = "tests/fixtures/saml/malformed-metadata.xml";
        let message = "";
        try {
            parseStackConfig(withMetadataFile(file));
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            message = (e as Error).message;
        }
        expect(message.split("\n")).to.have.length(1);
        expect(message).to.match(
            new RegExp(
                `^org-access:identity\\.saml\\[0\\]\\.metadataFile: "${file}" has a signing certificate \\(the only one\\) for entity "http://idp\\.example\\.com/malformed" that is not`,
            ),
        );
    });

    it("each way a certificate can be wrong, against a clean look-alike", () => {
        const good = certificateOf(read(EXAMPLE));
        const now = new Date();
        expect(certificateProblem(good, now)).to.equal(undefined);
        // Line breaks inside the element, as IdPs publish them, are fine.
        expect(certificateProblem(good.replace(/(.{64})/g, "$1\n  "), now)).to.equal(undefined);
        expect(certificateProblem(`${good.slice(0, 40)}!${good.slice(41)}`, now)).to.include("is not base64");
        expect(certificateProblem(good.slice(0, 400), now)).to.include("is not an X.509 certificate");
        expect(certificateProblem(Buffer.from("not a certificate at all").toString("base64"), now)).to.include(
            "is not an X.509 certificate",
        );
        // A metadata document with one good and one broken signing certificate is refused, naming which.
        const xml = read(EXAMPLE).replace(
            "</md:KeyDescriptor>",
            `</md:KeyDescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${good.slice(0, 400)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
        );
        expect(samlMetadataProblem(xml, now)).to.include("number 2 of 2");
    });
});
