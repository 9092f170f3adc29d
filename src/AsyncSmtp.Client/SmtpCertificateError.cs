namespace AsyncSmtp.Client;

/// <summary>Why a server certificate does not validate, one value per reason found.</summary>
public enum SmtpCertificateError
{
    /// <summary>The certificate does not carry the name the client connected to.</summary>
    NameMismatch,

    /// <summary>The certificate (or one in its chain) is past its NotAfter date.</summary>
    Expired,

    /// <summary>The certificate (or one in its chain) is before its NotBefore date.</summary>
    NotYetValid,

    /// <summary>The chain ends in a root that is not trusted: self-signed, or a private CA.</summary>
    UntrustedRoot,

    /// <summary>The chain could not be built up to a root: usually an intermediate the server does not send.</summary>
    PartialChain,

    /// <summary>The certificate (or one in its chain) has been revoked.</summary>
    Revoked,

    /// <summary>Whether the certificate was revoked could not be found out.</summary>
    RevocationUnknown,

    /// <summary>Anything else: no certificate, a bad signature, a wrong usage, ...</summary>
    Other,
}
