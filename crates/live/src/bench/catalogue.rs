//! The CIS Docker Benchmark v1.6.0 as docker-bench-security numbers and words it: every
//! check of sections 1–7, whether it moves the score, whether CIS calls it automated, and
//! how plimsoll decides it. Generated once from docker-bench-security's `tests/*.sh`
//! (HEAD ff26d67; titles and remediation texts are theirs, Apache-2.0), then edited where
//! plimsoll decides differently (see [`Check::scored`]).

/// How plimsoll decides a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// From the daemon and host collector's result for this CIS id (sections 1–3).
    Host,
    /// Per audited container: WARN (INFO when not scored) listing the containers on which
    /// one of these RS rules fired, PASS when none did.
    Containers(&'static [&'static str]),
    /// 4.6: the images' own configs (`Config.Healthcheck`).
    ImageHealthcheck,
    /// 4.5: Docker Content Trust is retired; always INFO.
    ContentTrust,
    /// 5.9: the published ports, listed for review (INFO).
    OpenPorts,
    /// From the engine's `info`, image list and networks (5.1, 6.x, 7.x).
    Engine,
    /// Nothing to automate on a live engine: NOTE. The rules, if any, check it where it can
    /// be checked (Dockerfiles: `plimsoll scan`).
    Manual(&'static [&'static str]),
}

/// One CIS item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// docker-bench's id: `1.1.3`, `5.4`.
    pub id: &'static str,
    /// The title without the tag.
    pub title: &'static str,
    /// `Automated`, `Manual` or `Scored`, as docker-bench prints it after the title.
    pub tag: &'static str,
    /// Whether a PASS adds 1 to the score and a WARN takes 1 off. docker-bench scores what
    /// it runs with `-s`; plimsoll does the same except 4.5 (Content Trust is retired) and
    /// 5.9 (a Manual check docker-bench scores by mistake), which are counted unscored.
    pub scored: bool,
    pub how: How,
    /// docker-bench's remediation text.
    pub remediation: &'static str,
}

impl Check {
    /// `title (tag)`: docker-bench's `desc`.
    pub fn desc(&self) -> String {
        format!("{} ({})", self.title, self.tag)
    }

    /// The section this check belongs to: `1` for `1.1.3`.
    pub fn section(&self) -> &'static str {
        self.id.split('.').next().unwrap_or(self.id)
    }

    /// Whether CIS calls it automated (docker-bench's old `Scored` tag counts as automated).
    pub fn automated(&self) -> bool {
        self.tag != "Manual"
    }

    /// The plimsoll rules that decide (or, for manual checks, cover) it. Host checks are
    /// decided by the daemon/host rules whose `references.cis` names the id.
    pub fn rules(&self) -> &'static [&'static str] {
        match self.how {
            How::Containers(r) | How::Manual(r) => r,
            How::ImageHealthcheck => &["RS030"],
            How::OpenPorts => &["RS026"],
            _ => &[],
        }
    }
}

/// Section and sub-section headings, in order: `(id, title)`.
pub static HEADINGS: &[(&str, &str)] = &[
    ("1", "Host Configuration"),
    ("1.1", "Linux Hosts Specific Configuration"),
    ("1.2", "General Configuration"),
    ("2", "Docker daemon configuration"),
    ("3", "Docker daemon configuration files"),
    ("4", "Container Images and Build File"),
    ("5", "Container Runtime"),
    ("6", "Docker Security Operations"),
    ("7", "Docker Swarm Configuration"),
];

/// Every check, in docker-bench order.
pub static CHECKS: &[Check] = &[
    Check {
        id: "1.1.1",
        title: "Ensure a separate partition for containers has been created",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "For new installations, you should create a separate partition for the /var/lib/docker mount point. For systems that have already been installed, you should use the Logical Volume Manager (LVM) within Linux to create a new partition.",
    },
    Check {
        id: "1.1.2",
        title: "Ensure only trusted users are allowed to control Docker daemon",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should remove any untrusted users from the docker group using command sudo gpasswd -d <your-user> docker or add trusted users to the docker group using command sudo usermod -aG docker <your-user>. You should not create a mapping of sensitive directories from the host to container volumes.",
    },
    Check {
        id: "1.1.3",
        title: "Ensure auditing is configured for the Docker daemon",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /usr/bin/dockerd -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.4",
        title: "Ensure auditing is configured for Docker files and directories -/run/containerd",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -a exit,always -F path=/run/containerd -F perm=war -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.5",
        title: "Ensure auditing is configured for Docker files and directories - /var/lib/docker",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /var/lib/docker -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.6",
        title: "Ensure auditing is configured for Docker files and directories - /etc/docker",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /etc/docker -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.7",
        title: "Ensure auditing is configured for Docker files and directories - docker.service",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "",
    },
    Check {
        id: "1.1.8",
        title: "Ensure auditing is configured for Docker files and directories - containerd.sock",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "",
    },
    Check {
        id: "1.1.9",
        title: "Ensure auditing is configured for Docker files and directories - docker.socket",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "",
    },
    Check {
        id: "1.1.10",
        title: "Ensure auditing is configured for Docker files and directories - /etc/default/docker",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /etc/default/docker -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.11",
        title: "Ensure auditing is configured for Dockerfiles and directories - /etc/docker/daemon.json",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /etc/docker/daemon.json -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.12",
        title: "Ensure auditing is configured for Dockerfiles and directories - /etc/containerd/config.toml",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /etc/containerd/config.toml -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.13",
        title: "Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /etc/sysconfig/docker -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.14",
        title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /usr/bin/containerd -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.15",
        title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /usr/bin/containerd-shim -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.16",
        title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v1",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /usr/bin/containerd-shim-runc-v1 -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.17",
        title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v2",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /usr/bin/containerd-shim-runc-v2 -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.1.18",
        title: "Ensure auditing is configured for Docker files and directories - /usr/bin/runc",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Install auditd. Add -w /usr/bin/runc -k docker to the /etc/audit/rules.d/audit.rules file. Then restart the audit daemon using command service auditd restart.",
    },
    Check {
        id: "1.2.1",
        title: "Ensure the container host has been Hardened",
        tag: "Manual",
        scored: false,
        how: How::Host,
        remediation: "You may consider various Security Benchmarks for your container host.",
    },
    Check {
        id: "1.2.2",
        title: "Ensure that the version of Docker is up to date",
        tag: "Manual",
        scored: false,
        how: How::Host,
        remediation: "You should monitor versions of Docker releases and make sure your software is updated as required.",
    },
    Check {
        id: "2.1",
        title: "Run the Docker daemon as a non-root user, if possible",
        tag: "Manual",
        scored: false,
        how: How::Host,
        remediation: "Follow the current Dockerdocumentation on how to install the Docker daemon as a non-root user.",
    },
    Check {
        id: "2.2",
        title: "Ensure network traffic is restricted between containers on the default bridge",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Edit the Docker daemon configuration file to ensure that inter-container communication is disabled: icc: false.",
    },
    Check {
        id: "2.3",
        title: "Ensure the logging level is set to 'info'",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Ensure that the Docker daemon configuration file has the following configuration included log-level: info. Alternatively, run the Docker daemon as following: dockerd --log-level=info",
    },
    Check {
        id: "2.4",
        title: "Ensure Docker is allowed to make changes to iptables",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Do not run the Docker daemon with --iptables=false option.",
    },
    Check {
        id: "2.5",
        title: "Ensure insecure registries are not used",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "You should ensure that no insecure registries are in use.",
    },
    Check {
        id: "2.6",
        title: "Ensure aufs storage driver is not used",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Do not start Docker daemon as using dockerd --storage-driver aufs option.",
    },
    Check {
        id: "2.7",
        title: "Ensure TLS authentication for Docker daemon is configured",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Follow the steps mentioned in the Docker documentation or other references. By default, TLS authentication is not configured.",
    },
    Check {
        id: "2.8",
        title: "Ensure the default ulimit is configured appropriately",
        tag: "Manual",
        scored: false,
        how: How::Host,
        remediation: "Run Docker in daemon mode and pass --default-ulimit as option with respective ulimits as appropriate in your environment and in line with your security policy. Example: dockerd --default-ulimit nproc=1024:2048 --default-ulimit nofile=100:200",
    },
    Check {
        id: "2.9",
        title: "Enable user namespace support",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Please consult the Docker documentation for various ways in which this can be configured depending upon your requirements. The high-level steps are: Ensure that the files /etc/subuid and /etc/subgid exist. Start the docker daemon with --userns-remap flag.",
    },
    Check {
        id: "2.10",
        title: "Ensure the default cgroup usage has been confirmed",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "The default setting is in line with good security practice and can be left in situ.",
    },
    Check {
        id: "2.11",
        title: "Ensure base device size is not changed until needed",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Do not set --storage-opt dm.basesize until needed.",
    },
    Check {
        id: "2.12",
        title: "Ensure that authorization for Docker client commands is enabled",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Install/Create an authorization plugin. Configure the authorization policy as desired. Start the docker daemon using command dockerd --authorization-plugin=<PLUGIN_ID>",
    },
    Check {
        id: "2.13",
        title: "Ensure centralized and remote logging is configured",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Set up the desired log driver following its documentation. Start the docker daemon using that logging driver. Example: dockerd --log-driver=syslog --log-opt syslog-address=tcp://192.xxx.xxx.xxx",
    },
    Check {
        id: "2.14",
        title: "Ensure containers are restricted from acquiring new privileges",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "You should run the Docker daemon using command: dockerd --no-new-privileges",
    },
    Check {
        id: "2.15",
        title: "Ensure live restore is enabled",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "Run Docker in daemon mode and pass --live-restore option.",
    },
    Check {
        id: "2.16",
        title: "Ensure Userland Proxy is Disabled",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "You should run the Docker daemon using command: dockerd --userland-proxy=false",
    },
    Check {
        id: "2.17",
        title: "Ensure that a daemon-wide custom seccomp profile is applied if appropriate",
        tag: "Manual",
        scored: false,
        how: How::Host,
        remediation: "By default, Docker's default seccomp profile is applied. If this is adequate for your environment, no action is necessary.",
    },
    Check {
        id: "2.18",
        title: "Ensure that experimental features are not implemented in production",
        tag: "Scored",
        scored: true,
        how: How::Host,
        remediation: "You should not pass --experimental as a runtime parameter to the Docker daemon on production systems.",
    },
    Check {
        id: "3.1",
        title: "Ensure that the docker.service file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Find out the file location: systemctl show -p FragmentPath docker.service. If the file does not exist, this recommendation is not applicable. If the file does exist, you should run the command chown root:root <path>, in order to set the ownership and group ownership for the file to root.",
    },
    Check {
        id: "3.2",
        title: "Ensure that docker.service file permissions are appropriately set",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Find out the file location: systemctl show -p FragmentPath docker.service. If the file does not exist, this recommendation is not applicable. If the file exists, run the command chmod 644 <path> to set the file permissions to 644.",
    },
    Check {
        id: "3.3",
        title: "Ensure that docker.socket file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Find out the file location: systemctl show -p FragmentPath docker.socket. If the file does not exist, this recommendation is not applicable. If the file exists, run the command chown root:root <path> to set the ownership and group ownership for the file to root.",
    },
    Check {
        id: "3.4",
        title: "Ensure that docker.socket file permissions are set to 644 or more restrictive",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "Find out the file location: systemctl show -p FragmentPath docker.socket. If the file does not exist, this recommendation is not applicable. If the file does exist, you should run the command chmod 644 <path> to set the file permissions to 644.",
    },
    Check {
        id: "3.5",
        title: "Ensure that the /etc/docker directory ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root /etc/docker. This sets the ownership and group ownership for the directory to root.",
    },
    Check {
        id: "3.6",
        title: "Ensure that /etc/docker directory permissions are set to 755 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 755 /etc/docker. This sets the permissions for the directory to 755.",
    },
    Check {
        id: "3.7",
        title: "Ensure that registry certificate file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root /etc/docker/certs.d/<registry-name>/*. This would set the individual ownership and group ownership for the registry certificate files to root.",
    },
    Check {
        id: "3.8",
        title: "Ensure that registry certificate file permissions are set to 444 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 444 /etc/docker/certs.d/<registry-name>/*. This would set the permissions for the registry certificate files to 444.",
    },
    Check {
        id: "3.9",
        title: "Ensure that TLS CA certificate file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root <path to TLS CA certificate file>. This sets the individual ownership and group ownership for the TLS CA certificate file to root.",
    },
    Check {
        id: "3.10",
        title: "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 444 <path to TLS CA certificate file>. This sets the file permissions on the TLS CA file to 444.",
    },
    Check {
        id: "3.11",
        title: "Ensure that Docker server certificate file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root <path to Docker server certificate file>. This sets the individual ownership and the group ownership for the Docker server certificate file to root.",
    },
    Check {
        id: "3.12",
        title: "Ensure that the Docker server certificate file permissions are set to 444 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 444 <path to Docker server certificate file>. This sets the file permissions of the Docker server certificate file to 444.",
    },
    Check {
        id: "3.13",
        title: "Ensure that the Docker server certificate key file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root <path to Docker server certificate key file>. This sets the individual ownership and group ownership for the Docker server certificate key file to root.",
    },
    Check {
        id: "3.14",
        title: "Ensure that the Docker server certificate key file permissions are set to 400",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 400 <path to Docker server certificate key file>. This sets the Docker server certificate key file permissions to 400.",
    },
    Check {
        id: "3.15",
        title: "Ensure that the Docker socket file ownership is set to root:docker",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:docker /var/run/docker.sock. This sets the ownership to root and group ownership to docker for the default Docker socket file.",
    },
    Check {
        id: "3.16",
        title: "Ensure that the Docker socket file permissions are set to 660 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 660 /var/run/docker.sock. This sets the file permissions of the Docker socket file to 660.",
    },
    Check {
        id: "3.17",
        title: "Ensure that the daemon.json file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root /etc/docker/daemon.json. This sets the ownership and group ownership for the file to root.",
    },
    Check {
        id: "3.18",
        title: "Ensure that daemon.json file permissions are set to 644 or more restrictive",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 644 /etc/docker/daemon.json. This sets the file permissions for this file to 644.",
    },
    Check {
        id: "3.19",
        title: "Ensure that the /etc/default/docker file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root /etc/default/docker. This sets the ownership and group ownership of the file to root.",
    },
    Check {
        id: "3.20",
        title: "Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 644 /etc/default/docker. This sets the file permissions for this file to 644.",
    },
    Check {
        id: "3.21",
        title: "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 644 /etc/sysconfig/docker. This sets the file permissions for this file to 644.",
    },
    Check {
        id: "3.22",
        title: "Ensure that the /etc/sysconfig/docker file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root /etc/sysconfig/docker. This sets the ownership and group ownership for the file to root.",
    },
    Check {
        id: "3.23",
        title: "Ensure that the Containerd socket file ownership is set to root:root",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chown root:root /run/containerd/containerd.sock. This sets the ownership and group ownership for the file to root.",
    },
    Check {
        id: "3.24",
        title: "Ensure that the Containerd socket file permissions are set to 660 or more restrictively",
        tag: "Automated",
        scored: true,
        how: How::Host,
        remediation: "You should run the following command: chmod 660 /run/containerd/containerd.sock. This sets the file permissions for this file to 660.",
    },
    Check {
        id: "4.1",
        title: "Ensure that a user for the container has been created",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS025", "RS037"]),
        remediation: "You should ensure that the Dockerfile for each container image contains the information: USER <username or ID>. If there is no specific user created in the container base image, then make use of the useradd command to add a specific user before the USER instruction in the Dockerfile.",
    },
    Check {
        id: "4.2",
        title: "Ensure that containers use only trusted base images",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF002", "DF003", "DF004", "RS033"]),
        remediation: "Configure and use Docker Content trust. View the history of each Docker image to evaluate its risk, dependent on the sensitivity of the application you wish to deploy using it. Scan Docker images for vulnerabilities at regular intervals.",
    },
    Check {
        id: "4.3",
        title: "Ensure that unnecessary packages are not installed in the container",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF005", "DF006", "DF036", "DF037", "DF047"]),
        remediation: "You should not install anything within the container that is not required. You should consider using a minimal base image if you can. Some of the options available include BusyBox and Alpine. Not only can this trim your image size considerably, but there would also be fewer pieces of software which could contain vectors for attack.",
    },
    Check {
        id: "4.4",
        title: "Ensure images are scanned and rebuilt to include security patches",
        tag: "Manual",
        scored: false,
        how: How::Manual(&[]),
        remediation: "Images should be re-built ensuring that the latest version of the base images are used, to keep the operating system patch level at an appropriate level. Once the images have been re-built, containers should be re-started making use of the updated images.",
    },
    Check {
        id: "4.5",
        title: "Ensure Content trust for Docker is Enabled",
        tag: "Automated",
        scored: false,
        how: How::ContentTrust,
        // docker-bench's text asks to set DOCKER_CONTENT_TRUST=1, which now breaks pulls of
        // Official Images: plimsoll gives the replacement instead.
        remediation: "Docker Content Trust is retired: do not set DOCKER_CONTENT_TRUST=1 (pulls of Official Images fail with it). Pin images by digest (image@sha256:...) and verify their signatures with cosign or Notation where the publisher signs them.",
    },
    Check {
        id: "4.6",
        title: "Ensure that HEALTHCHECK instructions have been added to container images",
        tag: "Automated",
        scored: true,
        how: How::ImageHealthcheck,
        remediation: "You should follow the Docker documentation and rebuild your container images to include the HEALTHCHECK instruction.",
    },
    Check {
        id: "4.7",
        title: "Ensure update instructions are not used alone in the Dockerfile",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF035", "DF038"]),
        remediation: "You should use update instructions together with install instructions and version pinning for packages while installing them. This prevent caching and force the extraction of the required versions. Alternatively, you could use the --no-cache flag during the docker build process to avoid using cached layers.",
    },
    Check {
        id: "4.8",
        title: "Ensure setuid and setgid permissions are removed",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF033"]),
        remediation: "You should allow setuid and setgid permissions only on executables which require them. You could remove these permissions at build time by adding the following command in your Dockerfile, preferably towards the end of the Dockerfile: RUN find / -perm /6000 -type f -exec chmod a-s {} ; || true",
    },
    Check {
        id: "4.9",
        title: "Ensure that COPY is used instead of ADD in Dockerfiles",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF009", "DF010"]),
        remediation: "You should use COPY rather than ADD instructions in Dockerfiles.",
    },
    Check {
        id: "4.10",
        title: "Ensure secrets are not stored in Dockerfiles",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF007", "DF008", "DF049", "RS031"]),
        remediation: "Do not store any kind of secrets within Dockerfiles. Where secrets are required during the build process, make use of a secrets management tool, such as the buildkit builder included with Docker.",
    },
    Check {
        id: "4.11",
        title: "Ensure only verified packages are installed",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF040", "DF041"]),
        remediation: "You should use a secure package distribution mechanism of your choice to ensure the authenticity of software packages.",
    },
    Check {
        id: "4.12",
        title: "Ensure all signed artifacts are validated",
        tag: "Manual",
        scored: false,
        how: How::Manual(&["DF041"]),
        remediation: "Validate artifacts signatures before uploading to the package registry.",
    },
    Check {
        id: "5.1",
        title: "Ensure swarm mode is not Enabled, if not needed",
        tag: "Automated",
        scored: true,
        how: How::Engine,
        remediation: "If swarm mode has been enabled on a system in error, you should run the command: docker swarm leave",
    },
    Check {
        id: "5.2",
        title: "Ensure that, if applicable, an AppArmor Profile is enabled",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS006"]),
        remediation: "If AppArmor is applicable for your Linux OS, you should enable it. Alternatively, Docker's default AppArmor policy can be used.",
    },
    Check {
        id: "5.3",
        title: "Ensure that, if applicable, SELinux security options are set",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS007"]),
        remediation: "Set the SELinux State. Set the SELinux Policy. Create or import a SELinux policy template for Docker containers. Start Docker in daemon mode with SELinux enabled. Start your Docker container using the security options.",
    },
    Check {
        id: "5.4",
        title: "Ensure that Linux kernel capabilities are restricted within containers",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS002"]),
        remediation: "You could remove all the currently configured capabilities and then restore only the ones you specifically use: docker run --cap-drop=all --cap-add={<Capability 1>,<Capability 2>} <Run arguments> <Container Image Name or ID> <Command>",
    },
    Check {
        id: "5.5",
        title: "Ensure that privileged containers are not used",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS001"]),
        remediation: "You should not run containers with the --privileged flag.",
    },
    Check {
        id: "5.6",
        title: "Ensure sensitive host system directories are not mounted on containers",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS016"]),
        remediation: "You should not mount directories which are security sensitive on the host within containers, especially in read-write mode.",
    },
    Check {
        id: "5.7",
        title: "Ensure sshd is not run within containers",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS034"]),
        remediation: "Uninstall the SSH daemon from the container and use docker exec to enter a container on the remote host.",
    },
    Check {
        id: "5.8",
        title: "Ensure privileged ports are not mapped within containers",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS027"]),
        remediation: "You should not map container ports to privileged host ports when starting a container. You should also, ensure that there is no such container to host privileged port mapping declarations in the Dockerfile.",
    },
    Check {
        id: "5.9",
        title: "Ensure that only needed ports are open on the container",
        tag: "Manual",
        scored: false,
        how: How::OpenPorts,
        remediation: "You should ensure that the Dockerfile for each container image only exposes needed ports.",
    },
    Check {
        id: "5.10",
        title: "Ensure that the host's network namespace is not shared",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS009"]),
        remediation: "You should not pass the --net=host option when starting any container.",
    },
    Check {
        id: "5.11",
        title: "Ensure that the memory usage for containers is limited",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS019"]),
        remediation: "You should run the container with only as much memory as it requires by using the --memory argument.",
    },
    Check {
        id: "5.12",
        title: "Ensure that CPU priority is set appropriately on containers",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS021"]),
        remediation: "You should manage the CPU runtime between your containers dependent on their priority within your organization. To do so start the container using the --cpu-shares argument.",
    },
    Check {
        id: "5.13",
        title: "Ensure that the container's root filesystem is mounted as read only",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS024"]),
        remediation: "You should add a --read-only flag at a container's runtime to enforce the container's root filesystem being mounted as read only.",
    },
    Check {
        id: "5.14",
        title: "Ensure that incoming container traffic is bound to a specific host interface",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS026"]),
        remediation: "You should bind the container port to a specific host interface on the desired host port. Example: docker run --detach --publish 10.2.3.4:49153:80 nginx In this example, the container port 80 is bound to the host port on 49153 and would accept incoming connection only from the 10.2.3.4 external interface.",
    },
    Check {
        id: "5.15",
        title: "Ensure that the 'on-failure' container restart policy is set to '5'",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS029"]),
        remediation: "If you wish a container to be automatically restarted, a sample command is docker run --detach --restart=on-failure:5 nginx",
    },
    Check {
        id: "5.16",
        title: "Ensure that the host's process namespace is not shared",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS010"]),
        remediation: "You should not start a container with the --pid=host argument.",
    },
    Check {
        id: "5.17",
        title: "Ensure that the host's IPC namespace is not shared",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS011"]),
        remediation: "You should not start a container with the --ipc=host argument.",
    },
    Check {
        id: "5.18",
        title: "Ensure that host devices are not directly exposed to containers",
        tag: "Manual",
        scored: false,
        how: How::Containers(&["RS018"]),
        remediation: "You should not directly expose host devices to containers. If you do need to expose host devices to containers, you should use granular permissions as appropriate to your organization.",
    },
    Check {
        id: "5.19",
        title: "Ensure that the default ulimit is overwritten at runtime if needed",
        tag: "Manual",
        scored: false,
        how: How::Containers(&["RS022"]),
        remediation: "You should only override the default ulimit settings if needed in a specific case.",
    },
    Check {
        id: "5.20",
        title: "Ensure mount propagation mode is not set to shared",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS017"]),
        remediation: "Do not mount volumes in shared mode propagation.",
    },
    Check {
        id: "5.21",
        title: "Ensure that the host's UTS namespace is not shared",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS012"]),
        remediation: "You should not start a container with the --uts=host argument.",
    },
    Check {
        id: "5.22",
        title: "Ensure the default seccomp profile is not Disabled",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS005"]),
        remediation: "By default, seccomp profiles are enabled. You do not need to do anything unless you want to modify and use a modified seccomp profile.",
    },
    Check {
        id: "5.23",
        title: "Ensure that docker exec commands are not used with the privileged option",
        tag: "Automated",
        scored: false,
        how: How::Manual(&[]),
        remediation: "You should not use the --privileged option in docker exec commands.",
    },
    Check {
        id: "5.24",
        title: "Ensure that docker exec commands are not used with the user=root option",
        tag: "Manual",
        scored: false,
        how: How::Manual(&[]),
        remediation: "You should not use the --user=root option in docker exec commands.",
    },
    Check {
        id: "5.25",
        title: "Ensure that cgroup usage is confirmed",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS023"]),
        remediation: "You should not use the --cgroup-parent option within the docker run command unless strictly required.",
    },
    Check {
        id: "5.26",
        title: "Ensure that the container is restricted from acquiring additional privileges",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS004"]),
        remediation: "You should start your container with the options: docker run --rm -it --security-opt=no-new-privileges ubuntu bash",
    },
    Check {
        id: "5.27",
        title: "Ensure that container health is checked at runtime",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS030", "RS036"]),
        remediation: "You should run the container using the --health-cmd parameter.",
    },
    Check {
        id: "5.28",
        title: "Ensure that Docker commands always make use of the latest version of their image",
        tag: "Manual",
        scored: false,
        how: How::Containers(&["RS033"]),
        remediation: "You should use proper version pinning mechanisms (the <latest> tag which is assigned by default is still vulnerable to caching attacks) to avoid extracting cached older versions. Version pinning mechanisms should be used for base images, packages, and entire images. You can customize version pinning rules according to your requirements.",
    },
    Check {
        id: "5.29",
        title: "Ensure that the PIDs cgroup limit is used",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS020"]),
        remediation: "Use --pids-limit flag with an appropriate value when launching the container.",
    },
    Check {
        id: "5.30",
        title: "Ensure that Docker's default bridge 'docker0' is not used",
        tag: "Manual",
        scored: false,
        how: How::Containers(&["RS028"]),
        remediation: "You should follow the Docker documentation and set up a user-defined network. All the containers should be run in this network.",
    },
    Check {
        id: "5.31",
        title: "Ensure that the host's user namespaces are not shared",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS013"]),
        remediation: "You should not share user namespaces between host and containers.",
    },
    Check {
        id: "5.32",
        title: "Ensure that the Docker socket is not mounted inside any containers",
        tag: "Automated",
        scored: true,
        how: How::Containers(&["RS015"]),
        remediation: "You should ensure that no containers mount docker.sock as a volume.",
    },
    Check {
        id: "6.1",
        title: "Ensure that image sprawl is avoided",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should keep only the images that you actually need and establish a workflow to remove old or stale images from the host. Additionally, you should use features such as pull-by-digest to get specific images from the registry.",
    },
    Check {
        id: "6.2",
        title: "Ensure that container sprawl is avoided",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should periodically check your container inventory on each host and clean up containers which are not in active use with the command: docker container prune",
    },
    Check {
        id: "7.1",
        title: "Ensure that the minimum number of manager nodes have been created in a swarm",
        tag: "Automated",
        scored: true,
        how: How::Engine,
        remediation: "If an excessive number of managers is configured, the excess nodes can be demoted to workers using command: docker node demote <manager node ID to be demoted>",
    },
    Check {
        id: "7.2",
        title: "Ensure that swarm services are bound to a specific host interface",
        tag: "Automated",
        scored: true,
        how: How::Engine,
        remediation: "Resolving this issues requires re-initialization of the swarm, specifying a specific interface for the --listen-addr parameter.",
    },
    Check {
        id: "7.3",
        title: "Ensure that all Docker swarm overlay networks are encrypted",
        tag: "Automated",
        scored: true,
        how: How::Engine,
        remediation: "You should create overlay networks the with --opt encrypted flag.",
    },
    Check {
        id: "7.4",
        title: "Ensure that Docker's secret management commands are used for managing secrets in a swarm cluster",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should follow the docker secret documentation and use it to manage secrets effectively.",
    },
    Check {
        id: "7.5",
        title: "Ensure that swarm manager is run in auto-lock mode",
        tag: "Automated",
        scored: true,
        how: How::Engine,
        remediation: "If you are initializing a swarm, use the command: docker swarm init --autolock. If you want to set --autolock on an existing swarm manager node, use the command: docker swarm update --autolock.",
    },
    Check {
        id: "7.6",
        title: "Ensure that the swarm manager auto-lock key is rotated periodically",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should run the command docker swarm unlock-key --rotate to rotate the keys. To facilitate auditing of this recommendation, you should maintain key rotation records and ensure that you establish a pre-defined frequency for key rotation.",
    },
    Check {
        id: "7.7",
        title: "Ensure that node certificates are rotated as appropriate",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should run the command docker swarm update --cert-expiry 48h to set the desired expiry time on the node certificate.",
    },
    Check {
        id: "7.8",
        title: "Ensure that CA certificates are rotated as appropriate",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should run the command docker swarm ca --rotate to rotate a certificate.",
    },
    Check {
        id: "7.9",
        title: "Ensure that management plane traffic is separated from data plane traffic",
        tag: "Manual",
        scored: false,
        how: How::Engine,
        remediation: "You should initialize the swarm with dedicated interfaces for management and data planes respectively. Example: docker swarm init --advertise-addr=192.168.0.1 --data-path-addr=17.1.0.3",
    },
];

/// The check with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_docker_bench_check_once() {
        assert_eq!(CHECKS.len(), 117);
        let per_section: Vec<usize> = ["1", "2", "3", "4", "5", "6", "7"]
            .iter()
            .map(|s| CHECKS.iter().filter(|c| c.section() == *s).count())
            .collect();
        assert_eq!(per_section, [20, 18, 24, 12, 32, 2, 9]);
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
    }

    #[test]
    fn titles_and_tags() {
        let c = find("5.5").map(|c| c.desc());
        assert_eq!(
            c.as_deref(),
            Some("Ensure that privileged containers are not used (Automated)")
        );
        assert!(find("1.1.12").is_some_and(|c| !c.title.starts_with("1.1.12")));
        assert!(find("5.9").is_some_and(|c| !c.scored && !c.automated()));
        assert!(find("4.5").is_some_and(|c| !c.scored));
        assert!(find("2.2").is_some_and(|c| c.scored && c.automated()));
    }
}
