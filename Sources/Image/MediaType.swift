/// The media types of the OCI image specification that BoxLab writes and reads.
public enum MediaType {
    public static let index = "application/vnd.oci.image.index.v1+json"
    public static let manifest = "application/vnd.oci.image.manifest.v1+json"
    public static let config = "application/vnd.oci.image.config.v1+json"
    public static let layer = "application/vnd.oci.image.layer.v1.tar"
    public static let gzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip"
}
