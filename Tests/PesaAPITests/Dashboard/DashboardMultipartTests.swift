import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PesaCore
import Testing

@testable import PesaAPI

/// The dashboard's file upload body (`multipart/form-data`, read by MultipartKit's parser): the fields and the
/// file by name, and a clear error page, never a 500, for a body without a boundary, cut short, or too large.
@Suite struct DashboardMultipartTests {
    static let boundary = "----PesaBoundaryX9"

    static func body(_ parts: [(headers: String, content: String)], closed: Bool = true) -> ByteBuffer {
        var text = ""
        for part in parts { text += "--\(boundary)\r\n\(part.headers)\r\n\r\n\(part.content)\r\n" }
        if closed { text += "--\(boundary)--\r\n" }
        return ByteBuffer(string: text)
    }

    @Test func theFieldsAndTheFileAreReadByName() throws {
        let content = "phone,amount,reference\r\n0708374149,10,A\r\n--not the boundary\r\n"
        let body = Self.body([
            ("Content-Disposition: form-data; name=\"command\"", "salary_payment"),
            ("Content-Disposition: form-data; name=\"csv_text\"", ""),
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv",
                content
            ),
            ("Content-Disposition: form-data; name=\"command\"", "business_payment"),
            ("Content-Disposition: form-data; name=\"note\"", "two\r\nlines"),
        ])
        let fields = try #require(DashboardUpload.parse(body, boundary: Self.boundary))
        #expect(fields["command"] == "salary_payment")
        #expect(fields["csv_text"] == "")
        #expect(fields["file"] == content)
        #expect(fields["note"] == "two\r\nlines")
        #expect(fields.count == 4)
    }

    @Test func aMalformedBodyIsNotReadAtAll() {
        let part = ("Content-Disposition: form-data; name=\"command\"", "salary_payment")
        // Cut short: no closing delimiter, or cut inside a part.
        #expect(DashboardUpload.parse(Self.body([part], closed: false), boundary: Self.boundary) == nil)
        var cut = Self.body([part, part])
        cut.moveWriterIndex(to: cut.writerIndex - 40)
        #expect(DashboardUpload.parse(cut, boundary: Self.boundary) == nil)
        // Another boundary, no part at all, a header line that is not one, a boundary too long.
        #expect(DashboardUpload.parse(Self.body([part]), boundary: "other") == nil)
        #expect(DashboardUpload.parse(ByteBuffer(string: "--\(Self.boundary)--\r\n"), boundary: Self.boundary) == nil)
        let broken = Self.body([("Content Disposition form-data", "x")])
        #expect(DashboardUpload.parse(broken, boundary: Self.boundary) == nil)
        let long = String(repeating: "b", count: 71)
        let longBody = ByteBuffer(string: "--\(long)\r\n\(part.0)\r\n\r\nx\r\n--\(long)--\r\n")
        #expect(DashboardUpload.parse(longBody, boundary: long) == nil)
        #expect(DashboardUpload.parse(ByteBuffer(), boundary: Self.boundary) == nil)
    }

    @Test func aMalformedUploadGetsAClearErrorPage() async throws {
        try await PayoutWorld.run { world, client in
            var browser = try await PayoutWorld.browser(PayoutWorld.admin, client: client)
            let form = try await browser.get("/ui/batches/new", client: client)
            let token = try #require(Browser.csrfToken(in: form.html))
            let fields = Self.body([
                ("Content-Disposition: form-data; name=\"csrf_token\"", token),
                ("Content-Disposition: form-data; name=\"command\"", "salary_payment"),
            ])
            let noBoundary = try await browser.postBody(
                "/ui/batches/new", type: "multipart/form-data", body: fields, client: client)
            #expect(noBoundary.status == .unprocessableContent)
            #expect(noBoundary.html.contains("the form&#39;s body has no multipart boundary"))
            #expect(noBoundary.html.contains("<h1>Unprocessable Content</h1>"))

            var truncated = fields
            truncated.moveWriterIndex(to: truncated.writerIndex - 30)
            let cut = try await browser.postBody(
                "/ui/batches/new", type: "multipart/form-data; boundary=\"\(Self.boundary)\"", body: truncated,
                client: client)
            #expect(cut.status == .unprocessableContent)
            #expect(cut.html.contains("cannot be read as multipart/form-data"))

            let tooLarge = try await browser.postBody(
                "/ui/batches/new", type: "multipart/form-data; boundary=\(Self.boundary)",
                body: ByteBuffer(repeating: UInt8(ascii: "x"), count: DashboardController.batchFormBytesMax + 1),
                client: client)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.html.contains("<h1>Content Too Large</h1>"))
            #expect(tooLarge.html.contains("the request body exceeds"))
            #expect(tooLarge.headers[.contentSecurityPolicy] == DashboardMiddleware.contentSecurityPolicy)

            // A file over the batch's cap inside a body the form takes: the message next to the CSV.
            let big = "phone,amount,reference\n" + String(repeating: "x", count: Limits.batchBodyBytesMax)
            let file = try await browser.postMultipart(
                "/ui/batches/new", form: [("csrf_token", token), ("step", "preview"), ("command", "salary_payment")],
                file: ("big.csv", big), client: client)
            #expect(file.status == .contentTooLarge)
            #expect(file.html.contains("The CSV is larger than 4 MiB"))
            #expect(try await world.batches().isEmpty)
        }
    }
}

extension Browser {
    /// POSTs `body` as it is, with `type` as its content type, keeping the cookies.
    mutating func postBody(
        _ uri: String, type: String, body: ByteBuffer, client: any TestClientProtocol
    ) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = type
        let response = try await client.execute(uri: uri, method: .post, headers: fields, body: body)
        keep(response)
        return response
    }
}
