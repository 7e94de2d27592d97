/// The sandbox's built-in RSA-2048 key pair and self-signed certificate (CN=Pesa Daraja Sandbox Certificate).
///
/// Public on purpose, like Safaricom's own sandbox certificate: it only protects fake money. A client makes
/// `SecurityCredential`s with the certificate (served at `GET /sandbox/certificate.pem`); the sandbox
/// decrypts them with the key. Operators may configure their own pair instead.
enum SandboxKeys {
    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCneTb1Yni1cwgg
        9/qtNGFpmO8WnZwldJFhn0962OmRi0uQCdAknE9sIwAhpYFlBoxUE22JioGvYZmr
        Z1IQoatJp4FrvucVn8Ng88jA1j5+qhdtwu58noPPz/6Vysh0YMYY96buzxcwG3Yc
        n1Sp656WDKnCvz4Mw0qMYfOKVhfqMRLeD3UEsl0A3iWCueZGPs7jgbjRwmApXEAH
        24xXxdUOhlC8jd7BkgjqJwmBbmT/p4QIrLN1BOjG2tPP3MnM482v9qlLrwKYOGpA
        Sz+ejXKI1okIRDBilbbfW6j8B/xLm4qbmlmRCXHn1hn5AKWjqV1U/OQ9OqogGKZj
        Pm/49p17AgMBAAECggEACNHp8o9ukwPNZEsbER8mmDSdNuAzFofmljEZMvuUhX1E
        DABwTVVMG4JWYe9A+syW/GCPjsRUIyPtP2kwGb8h8b2YI9AIhIuG8yazpnBCF1Km
        7DltbPO+NmYaXtIwr2xfUnZMfNw8OOThWg2MHGzTy8w77o0629o3JWCNPnZdSRCZ
        l96i1zdvPoPrRkIqIJF42qlrsfW2z0TSkp9KtWVjqlhFvZ0LZRmgBgDcEvIOCEuD
        t/b2Ezr9YFHjZ16F4zQwQ1ZESSDDe4zQJwVHSJ8vOEc2CR7QS6sM+CxRSnjQFLQQ
        QWF+JHVAukHuc/B4OYOLf+to4STgEEaQitOt5mmrpQKBgQDqGSxoWnY79QfJBDS7
        gwOltI8LFvQ0rZeEuWmNcH0ikuUz3Wx/EBjf4xaXrvznNMICJi0DqOej0E0filEX
        y3qFDPkSRLsIuhYsCoV+TzdnQN828RvLVZkTpU/05cugiEQ1roVC09HtId0hxK5U
        EBYVFByJn36eMXC8UHG1qtNhhQKBgQC3JFPY8R8hmzJ1svaemZOwdfIriDDL/XIx
        BPPFEtCcQF8hs38y9ScLUA6MKsVhSPuu8em18HQBCXKKiBUKU3A4nSp9viagW4jO
        VgE3qBVqhN2F6UHg6sS9ZHM2FidmvTYbObgmuf+LCjwdjxM5b2WqkbqnMYAs7U+z
        rWRaUlKy/wKBgQDlcaru1MtR1MW+phqxNqYagbA55FOSVhpOAhSMhpZ/jo6LmRjA
        KRzYQ5FfNim2yyTkSlqQXbo7+uu8YCs/MTZytdZhq2/OC+WzYNSaijX5Q8ID7ama
        T9lrQfnuRFSikSyZmOYQK+BzlV9Ru55J0kJygnW+Bc9qaXbfe9EXh8kKqQKBgCDT
        px/UoHLioZnNOT1WY82WZpD8+VonFKfKrnMdmzzWoPameN9GZ/g0Ildndzen4E0M
        WYreDbz914UTPUo7iHrtWOdvBPdrUMtDSTaTrzsHk7lkBQXurtMPxULll6xnr+IT
        Z3mxjyd57yqRMa3y1LNNKbq8ObBT3RxksP8rkF07AoGADdGbip1V7lmyx36E1X3+
        cGIrhOFqadi4QTcynjH0FkT7YhHOY0JwL4f5z4po/lxRKvbQcTTetYIPpS/LPp/i
        gpBiQWaRFqD6ZURFQms96k9CLWvGA+PilNO/D/b5uZ+MbKnCZO79s9HFcjdv2WTT
        FW4CshfyScxfs3qKHBMW8Bg=
        -----END PRIVATE KEY-----
        """

    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIDfzCCAmegAwIBAgIUZTMQvq3QXbHIamVMPGtH6D3BZtkwDQYJKoZIhvcNAQEL
        BQAwTjELMAkGA1UEBhMCS0UxFTATBgNVBAoMDFBlc2EgR2F0ZXdheTEoMCYGA1UE
        AwwfUGVzYSBEYXJhamEgU2FuZGJveCBDZXJ0aWZpY2F0ZTAgFw0yNjExMjgxMjI5
        MjFaGA8yMTI2MTEwNDEyMjkyMVowTjELMAkGA1UEBhMCS0UxFTATBgNVBAoMDFBl
        c2EgR2F0ZXdheTEoMCYGA1UEAwwfUGVzYSBEYXJhamEgU2FuZGJveCBDZXJ0aWZp
        Y2F0ZTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKd5NvVieLVzCCD3
        +q00YWmY7xadnCV0kWGfT3rY6ZGLS5AJ0CScT2wjACGlgWUGjFQTbYmKga9hmatn
        UhChq0mngWu+5xWfw2DzyMDWPn6qF23C7nyeg8/P/pXKyHRgxhj3pu7PFzAbdhyf
        VKnrnpYMqcK/PgzDSoxh84pWF+oxEt4PdQSyXQDeJYK55kY+zuOBuNHCYClcQAfb
        jFfF1Q6GULyN3sGSCOonCYFuZP+nhAiss3UE6Mba08/cyczjza/2qUuvApg4akBL
        P56NcojWiQhEMGKVtt9bqPwH/EubipuaWZEJcefWGfkApaOpXVT85D06qiAYpmM+
        b/j2nXsCAwEAAaNTMFEwHQYDVR0OBBYEFFkKnNcE/4JcP2Q2er6mHE6nRb/LMB8G
        A1UdIwQYMBaAFFkKnNcE/4JcP2Q2er6mHE6nRb/LMA8GA1UdEwEB/wQFMAMBAf8w
        DQYJKoZIhvcNAQELBQADggEBAJmSYBz1WYD1AejobNeXVDl/ctaTAkTUq5jDBrTB
        g87T/mGFL0zvz7jF4j8FKnnlMZhgL/wnaaSIOLcKY7NjufLutPau01WyFKxEnpRA
        DU0HuGjzak/OkEWN/9EWBcPL6TFvbBqo495q5h/Gll4tS9yIm1yn1uV9qw/pFLRm
        ICHYpKOLVArpMHMSU4nJmPvD7VM6C+1IinEYWNQBDOHDuoWh9B+t3mOzeo7q6Ig9
        IsMmir00jDBnDy7Gg8HCB0MMSJZUzWQG2Uk8vWZafNVd5PfkJuH2HayRxAJFuz7U
        jQjpj8aqwcteD8CHM2YU2Ux11XsFTAlE3BF1KhKKkH0cqds=
        -----END CERTIFICATE-----
        """
}
