//! The RUN rules on whole Dockerfiles: the tricky cases each rule must get right (the fixture
//! folders cover the ordinary ones), and positions.

use crate::analysis::stages;
use crate::rules::{AnalysisCache, Context};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::Finding;

/// Every finding of the RUN rules on `src`.
fn audit(src: &str) -> Vec<Finding> {
    let file = match crate::parse("Dockerfile", src.as_bytes()) {
        Ok(f) => f,
        Err(e) => panic!("parse error: {e:?}\n{src}"),
    };
    let facts = AnalysisCache::new(&file);
    let policy = ImagePolicy::default();
    let cx = Context::new(&facts, &policy);
    let mut out = Vec::new();
    for rule in super::RULES {
        rule.check(&cx, &mut out);
    }
    out
}

fn ids(src: &str, id: &str) -> Vec<Finding> {
    audit(src).into_iter().filter(|f| f.rule_id == id).collect()
}

#[track_caller]
fn fires(id: &str, src: &str) -> Vec<Finding> {
    let f = ids(src, id);
    assert!(!f.is_empty(), "expected {id} on:\n{src}");
    f
}

#[track_caller]
fn quiet(id: &str, src: &str) {
    let f = ids(src, id);
    assert!(
        f.is_empty(),
        "expected no {id} on:\n{src}\ngot: {:#?}",
        f.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

fn span_text(src: &str, f: &Finding) -> String {
    let span = f.location.span.expect("span");
    let line = src.lines().nth(span.start.line as usize - 1).unwrap_or("");
    if span.end.line != span.start.line || span.end.column == 0 {
        return line.chars().skip(span.start.column as usize - 1).collect();
    }
    line.chars()
        .skip(span.start.column as usize - 1)
        .take((span.end.column - span.start.column) as usize)
        .collect()
}

#[test]
fn df030_pipes_substitutions_and_download_then_run() {
    let f = fires(
        "DF030",
        "FROM debian\nRUN curl -fsSL https://get.example.com | sudo -E bash -s -- --yes\n",
    );
    assert!(
        f[0].message.contains("https://get.example.com"),
        "{}",
        f[0].message
    );
    fires(
        "DF030",
        "FROM debian\nRUN wget -qO- http://x.example/i.sh | tee /tmp/log | sh\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN bash -c \"$(curl -fsSL https://x.example/install.sh)\"\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN . <(curl -s https://x.example/env)\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN curl -fsSL https://x | python3 -\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN curl -fsSLo get.sh https://get.example.com && sh get.sh\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN wget https://x.example/setup.sh && chmod +x setup.sh && ./setup.sh\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN [\"/bin/sh\", \"-c\", \"curl -s https://x | sh\"]\n",
    );
    fires(
        "DF030",
        "FROM debian\nRUN <<EOF\nset -e\ncurl -fsSL https://x.example/i.sh | bash\nEOF\n",
    );
    fires("DF030", "FROM debian\nONBUILD RUN curl https://x | sh\n");
    quiet(
        "DF030",
        "FROM debian\nRUN curl -fsSL https://x/a.tgz | tar -xz -C /opt\n",
    );
    quiet("DF030", "FROM debian\nRUN curl -fsSL https://x/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg\n");
    quiet("DF030", "FROM debian\nRUN curl -fsSLo i.sh https://x/i.sh && echo \"abc  i.sh\" | sha256sum -c - && sh i.sh\n");
    quiet("DF030", "FROM debian\nRUN curl -fsSL https://x | python3 -c 'import sys; print(sys.stdin.read())'\n");
    quiet(
        "DF030",
        "FROM debian\nRUN echo 'curl x | sh' > /notes.txt\n",
    );
    quiet(
        "DF030",
        "FROM debian\nRUN sh -c 'echo $(curl -s https://x/version)'\n",
    );
}

#[test]
fn df030_points_at_the_pipeline_across_lines() {
    let src =
        "FROM debian\nRUN set -eux; \\\n    curl -fsSL https://x.example/i.sh \\\n      | bash\n";
    let f = fires("DF030", src);
    let span = f[0].location.span.unwrap();
    assert_eq!((span.start.line, span.start.column), (3, 5));
    assert_eq!(span.end.line, 4);
}

#[test]
fn df031_sudo_use_and_install() {
    let src = "FROM debian\nRUN apt-get update && sudo apt-get install -y x\n";
    let f = fires("DF031", src);
    assert_eq!(span_text(src, &f[0]), "sudo");
    fires("DF031", "FROM debian\nRUN sh -c 'sudo -u app make'\n");
    fires(
        "DF031",
        "FROM debian\nRUN find /x -exec sudo chown app {} \\;\n",
    );
    let f = fires("DF031", "FROM debian\nRUN apt-get install -y sudo\n");
    assert_eq!(f[0].severity, plimsoll_core::Severity::Low);
    // Installing sudo in a builder stage that is only copied from does not ship it.
    quiet(
        "DF031",
        "FROM debian AS b\nRUN apt-get install -y sudo\nFROM scratch\nCOPY --from=b /x /x\n",
    );
    quiet("DF031", "FROM debian\nRUN echo sudo && gosu app true\n");
}

#[test]
fn df032_df033_modes() {
    let src = "FROM debian\nRUN chmod -R 777 /opt/app\n";
    let f = fires("DF032", src);
    assert_eq!(span_text(src, &f[0]), "777");
    fires("DF032", "FROM debian\nRUN chmod a+rwx /data\n");
    fires(
        "DF032",
        "FROM debian\nRUN find /srv -type f -exec chmod o+w {} +\n",
    );
    fires("DF032", "FROM debian\nRUN install -m 0666 x /etc/x\n");
    fires("DF032", "FROM debian\nCOPY --chmod=777 app /app\n");
    quiet(
        "DF032",
        "FROM debian\nRUN chmod 1777 /scratch && chmod +w /x && chmod 755 /y && chmod go-w /z\n",
    );
    quiet("DF032", "FROM debian\nRUN chmod $MODE /x\n");
    fires("DF033", "FROM debian\nRUN chmod u+s /usr/bin/tool\n");
    fires("DF033", "FROM debian\nRUN chmod 4755 /usr/local/bin/x\n");
    fires("DF033", "FROM debian\nRUN chmod g+s /usr/local/bin/x\n");
    fires("DF033", "FROM debian\nCOPY --chmod=6755 x /x\n");
    quiet(
        "DF033",
        "FROM debian\nRUN mkdir -p /srv/shared && chmod 2775 /srv/shared\n",
    );
    quiet(
        "DF033",
        "FROM debian\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true\n",
    );
    quiet(
        "DF033",
        "FROM debian\nRUN find /srv -type d -exec chmod g+s {} +\n",
    );
}

#[test]
fn df034_df035_upgrade_and_lonely_update() {
    fires(
        "DF034",
        "FROM debian\nRUN apt-get update && apt-get -y dist-upgrade\n",
    );
    fires("DF034", "FROM alpine\nRUN apk upgrade --no-cache\n");
    fires("DF034", "FROM fedora\nRUN dnf -y update && dnf clean all\n");
    quiet(
        "DF034",
        "FROM fedora\nRUN dnf -y update openssl && dnf clean all\n",
    );
    quiet(
        "DF034",
        "FROM debian\nRUN apt-get install -y --only-upgrade openssl\n",
    );
    fires(
        "DF035",
        "FROM debian\nRUN apt-get update\nRUN apt-get install -y x\n",
    );
    fires("DF035", "FROM alpine\nRUN apk update\n");
    quiet(
        "DF035",
        "FROM debian\nRUN apt-get update && apt-get install -y x\n",
    );
    quiet(
        "DF035",
        "FROM debian\nRUN apt-get update && ./install-deps.sh\n",
    );
    quiet("DF035", "FROM alpine\nRUN apk add --update curl\n");
    quiet(
        "DF035",
        "FROM debian\nRUN apt-get update && apt-cache policy curl\n",
    );
}

#[test]
fn df036_recommends() {
    fires("DF036", "FROM debian\nRUN apt-get install -y curl\n");
    quiet(
        "DF036",
        "FROM debian\nRUN apt-get install -y --no-install-recommends curl\n",
    );
    quiet(
        "DF036",
        "FROM debian\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n",
    );
    quiet(
        "DF036",
        "FROM debian\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/01norec\nRUN apt-get install -y curl\n",
    );
    quiet(
        "DF036",
        "FROM debian AS base\nRUN printf 'APT::Install-Recommends \"0\";\\n' > /etc/apt/apt.conf.d/x\nFROM base\nRUN apt-get install -y curl\n",
    );
    quiet(
        "DF036",
        "FROM debian AS build\nRUN apt-get install -y gcc\nFROM debian\nCOPY --from=build /x /x\n",
    );
    fires("DF036", "FROM opensuse/leap\nRUN zypper install -y curl\n");
}

#[test]
fn df037_caches() {
    fires(
        "DF037",
        "FROM debian\nRUN apt-get update && apt-get install -y x\n",
    );
    fires(
        "DF037",
        "FROM debian\nRUN apt-get update && apt-get install -y x && apt-get clean\n",
    );
    quiet(
        "DF037",
        "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
    );
    quiet(
        "DF037",
        "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
    );
    fires(
        "DF037",
        "FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x\n",
    );
    fires("DF037", "FROM alpine\nRUN apk add curl\n");
    quiet("DF037", "FROM alpine\nRUN apk add --no-cache curl\n");
    quiet(
        "DF037",
        "FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
    );
    fires("DF037", "FROM python:3\nRUN pip install flask==3.0.0\n");
    quiet(
        "DF037",
        "FROM python:3\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0\n",
    );
    fires(
        "DF037",
        "FROM python:3\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask==3.0.0\n",
    );
    quiet(
        "DF037",
        "FROM python:3\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.0\n",
    );
    quiet(
        "DF037",
        "FROM python:3\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.0\n",
    );
    quiet("DF037", "FROM python:3 AS build\nRUN pip install flask==3.0.0\nFROM python:3-slim\nCOPY --from=build /x /x\n");
    fires("DF037", "FROM fedora\nRUN dnf install -y x-1.0\n");
    quiet(
        "DF037",
        "FROM fedora\nRUN dnf install -y x-1.0 && dnf clean all\n",
    );
    fires(
        "DF037",
        "FROM fedora\nRUN dnf clean all && dnf install -y x-1.0\n",
    );
    fires("DF037", "FROM node:20\nRUN yarn install\n");
    quiet(
        "DF037",
        "FROM node:20\nRUN yarn install && yarn cache clean\n",
    );
}

#[test]
fn df038_pinning_semantics() {
    let f = fires(
        "DF038",
        "FROM debian\nRUN apt-get install -y curl=7.88.1-10 git\n",
    );
    assert!(
        f[0].message.contains("`git`") && !f[0].message.contains("curl"),
        "{}",
        f[0].message
    );
    quiet(
        "DF038",
        "FROM debian\nRUN apt-get install -y -t bookworm-backports curl=7.88.1-10\n",
    );
    quiet(
        "DF038",
        "FROM debian\nRUN apt-get install -y ./pkg_1.0_amd64.deb /tmp/x.deb\n",
    );
    quiet(
        "DF038",
        "FROM debian\nARG V=1.2\nRUN apt-get install -y \"python3=${V}\"\n",
    );
    quiet(
        "DF038",
        "FROM debian\nARG PKGS\nRUN apt-get install -y $PKGS\n",
    );
    quiet(
        "DF038",
        "FROM debian\nRUN buildDeps='python3=3.6.7-1' && apt-get install -y $buildDeps\n",
    );
    let f = fires(
        "DF038",
        "FROM debian\nRUN deps='gcc make' && apt-get install -y $deps\n",
    );
    assert!(f[0].message.contains("variables"), "{}", f[0].message);
    quiet(
        "DF038",
        "FROM alpine\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev~1.2\n",
    );
    fires(
        "DF038",
        "FROM alpine\nRUN apk add --no-cache --virtual .build-deps gcc\n",
    );
    quiet(
        "DF038",
        "FROM python:3\nRUN pip install -r requirements.txt\n",
    );
    quiet(
        "DF038",
        "FROM python:3\nRUN pip install --root-user-action ignore flask==3.0 .\n",
    );
    quiet(
        "DF038",
        "FROM python:3\nRUN pip install -c constraints.txt flask\n",
    );
    quiet(
        "DF038",
        "FROM python:3\nRUN pip install git+https://github.com/o/r.git@v1.2#egg=r dist/app.whl\n",
    );
    fires(
        "DF038",
        "FROM python:3\nRUN python3 -m pip install --upgrade pip\n",
    );
    fires("DF038", "FROM python:3\nRUN pip install 'flask>=2'\n");
    quiet("DF038", "FROM node\nRUN npm ci && npm install\n");
    quiet(
        "DF038",
        "FROM node\nRUN npm install -g npm@10.8.1 @scope/x@1.0.0\n",
    );
    fires("DF038", "FROM node\nRUN npm install -g npm@latest\n");
    quiet("DF038", "FROM node\nRUN npm run install\n");
    fires(
        "DF038",
        "FROM golang\nRUN go install golang.org/x/tools/gopls@latest\n",
    );
    quiet(
        "DF038",
        "FROM golang\nRUN go install ./cmd/app && go run example.com/tool@v1.2.3 -flag arg\n",
    );
    quiet("DF038", "FROM golang\nRUN go run main.go\n");
    quiet("DF038", "FROM ruby\nRUN gem install bundler -v 2.5.3\n");
    fires("DF038", "FROM ruby\nRUN gem install bundler\n");
    quiet("DF038", "FROM fedora\nRUN dnf install -y gcc-c++-13.2.1 && dnf group install -y 'Development Tools'\n");
    fires("DF038", "FROM fedora\nRUN dnf install -y gcc-c++\n");
    quiet(
        "DF038",
        "FROM fedora\nRUN dnf module install -y nodejs:20\n",
    );
    quiet(
        "DF038",
        "FROM opensuse/leap\nRUN zypper install -y 'tomcat>=9.0'\n",
    );
}

#[test]
fn df039_ssh_server() {
    fires(
        "DF039",
        "FROM debian\nRUN apt-get install -y openssh-server\n",
    );
    fires("DF039", "FROM alpine\nRUN apk add --no-cache openssh\n");
    fires("DF039", "FROM debian\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n");
    quiet(
        "DF039",
        "FROM alpine\nRUN apk add --no-cache openssh-client\n",
    );
    quiet("DF039", "FROM fedora\nRUN dnf install -y openssh\n");
    quiet("DF039", "FROM debian AS t\nRUN apt-get install -y openssh-server\nFROM debian\nCOPY --from=t /x /x\n");
}

#[test]
fn df040_tls() {
    let src = "FROM debian\nRUN curl -fsSLk https://x.example/a -o /a\n";
    let f = fires("DF040", src);
    assert_eq!(span_text(src, &f[0]), "-fsSLk");
    quiet("DF040", "FROM debian\nRUN curl -o -k https://x.example/a\n");
    quiet("DF040", "FROM debian\nRUN wget -k https://x.example/a\n");
    fires(
        "DF040",
        "FROM debian\nRUN wget --no-check-certificate https://x.example/a\n",
    );
    fires(
        "DF040",
        "FROM debian\nRUN git config --global http.sslVerify false\n",
    );
    fires(
        "DF040",
        "FROM debian\nRUN git -c http.https://x.example/.sslverify=0 clone https://x.example/r\n",
    );
    fires(
        "DF040",
        "FROM python:3\nRUN pip install --trusted-host pypi.example flask==3\n",
    );
    fires("DF040", "FROM node\nRUN npm config set strict-ssl false\n");
    fires("DF040", "FROM node\nRUN yarn config set strict-ssl false\n");
    fires("DF040", "FROM node\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n");
    fires("DF040", "FROM node\nARG NPM_CONFIG_STRICT_SSL=false\n");
    fires("DF040", "FROM debian\nENV GIT_SSL_NO_VERIFY=true\n");
    fires(
        "DF040",
        "FROM python:3\nRUN PYTHONHTTPSVERIFY=0 python3 fetch.py\n",
    );
    fires(
        "DF040",
        "FROM python:3\nRUN export PIP_TRUSTED_HOST=pypi.example && pip install x==1\n",
    );
    fires(
        "DF040",
        "FROM fedora\nRUN dnf install -y --setopt=sslverify=false x-1\n",
    );
    fires(
        "DF040",
        "FROM fedora\nRUN echo 'sslverify=0' >> /etc/dnf/dnf.conf\n",
    );
    fires("DF040", "FROM debian\nRUN echo 'Acquire::https::Verify-Peer \"false\";' > /etc/apt/apt.conf.d/99insecure\n");
    fires("DF040", "FROM debian\nRUN echo insecure >> ~/.curlrc\n");
    quiet(
        "DF040",
        "FROM node\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1\n",
    );
    quiet("DF040", "FROM debian\nRUN echo insecure > /tmp/notes\n");
    quiet("DF040", "FROM debian\nARG GIT_SSL_NO_VERIFY\n");
}

#[test]
fn df041_signatures() {
    fires(
        "DF041",
        "FROM debian\nRUN apt-get install -y --allow-unauthenticated x\n",
    );
    fires("DF041", "FROM debian\nRUN echo 'deb [trusted=yes] http://r.example/ ./' > /etc/apt/sources.list.d/r.list\n");
    fires(
        "DF041",
        "FROM centos:7\nRUN yum install -y --nogpgcheck x-1\n",
    );
    fires(
        "DF041",
        "FROM fedora\nRUN cat <<EOF > /etc/yum.repos.d/x.repo\n[x]\nbaseurl=https://r.example\ngpgcheck=0\nEOF\n",
    );
    fires(
        "DF041",
        "FROM fedora\nRUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/x.repo\n",
    );
    fires(
        "DF041",
        "FROM alpine\nRUN apk add --allow-untrusted -X https://r.example/alpine x\n",
    );
    fires(
        "DF041",
        "FROM fedora\nRUN rpm -ivh --nosignature https://r.example/x.rpm\n",
    );
    fires("DF041", "FROM docker\nENV DOCKER_CONTENT_TRUST=0\n");
    quiet(
        "DF041",
        "FROM fedora\nRUN sed -i 's/gpgcheck=0/gpgcheck=1/' /etc/yum.repos.d/x.repo\n",
    );
    quiet("DF041", "FROM alpine\nCOPY --from=b /pkgs /pkgs\nRUN apk index --allow-untrusted -o /pkgs/APKINDEX.tar.gz /pkgs/*.apk\n");
    quiet(
        "DF041",
        "FROM alpine\nRUN apk add --allow-untrusted /tmp/pkgs/app-1.0-r0.apk\n",
    );
}

#[test]
fn df042_assume_yes() {
    fires("DF042", "FROM debian\nRUN apt-get install curl\n");
    quiet("DF042", "FROM debian\nRUN apt-get install -qq curl && apt-get -y install x && apt-get --yes install y\n");
    quiet("DF042", "FROM debian\nRUN yes | apt-get install curl\n");
    quiet("DF042", "FROM debian\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl\n");
    fires("DF042", "FROM centos\nRUN yum install httpd-2.4\n");
    fires("DF042", "FROM opensuse/leap\nRUN zypper install curl\n");
    quiet(
        "DF042",
        "FROM opensuse/leap\nRUN zypper --non-interactive install curl\n",
    );
    quiet("DF042", "FROM fedora\nRUN microdnf install curl\n");
    fires("DF042", "FROM python:3\nRUN pip uninstall setuptools\n");
}

#[test]
fn df043_df044_df048() {
    fires("DF043", "FROM ubuntu\nRUN apt install -y curl\n");
    quiet(
        "DF043",
        "FROM ubuntu\nRUN apt-get install -y curl && echo apt\n",
    );
    fires("DF044", "FROM debian\nRUN mkdir /app && cd /app\n");
    fires(
        "DF044",
        "FROM debian\nRUN cd /src && make\nRUN cd /src && make install\n",
    );
    quiet(
        "DF044",
        "FROM debian\nRUN cd /tmp/src && ./configure && make && cd / && rm -rf /tmp/src\n",
    );
    quiet("DF044", "FROM debian\nRUN (cd sub && make)\n");
    fires(
        "DF048",
        "FROM debian\nRUN curl -fsSLo a https://x/a\nRUN wget https://x/b\n",
    );
    quiet(
        "DF048",
        "FROM debian AS a\nRUN curl -fsSLo a https://x/a\nFROM debian\nRUN wget https://x/b\n",
    );
    quiet(
        "DF048",
        "FROM debian\nRUN apt-get install -y curl wget && curl -fsSL https://x\n",
    );
}

#[test]
fn df045_pipefail() {
    fires("DF045", "FROM debian\nRUN curl -fsSL https://x | tar -xz\n");
    quiet("DF045", "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x | tar -xz\n");
    quiet("DF045", "FROM debian\nSHELL [\"/bin/bash\", \"-euxo\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x | tar -xz\n");
    quiet("DF045", "FROM debian AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN curl -fsSL https://x | tar -xz\n");
    fires("DF045", "FROM debian AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM debian\nRUN curl -fsSL https://x | tar -xz\n");
    quiet(
        "DF045",
        "FROM debian\nRUN set -eux -o pipefail; curl -fsSL https://x | tar -xz\n",
    );
    fires(
        "DF045",
        "FROM debian\nRUN curl -fsSL https://x | tar -xz; set -o pipefail\n",
    );
    quiet(
        "DF045",
        "FROM debian\nRUN echo \"abc  f\" | sha256sum -c -\n",
    );
    quiet(
        "DF045",
        "FROM debian\nRUN bash -o pipefail -c 'curl x | tar -xz'\n",
    );
    quiet(
        "DF045",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n",
    );
    quiet(
        "DF045",
        "FROM debian\nSHELL [\"pwsh\", \"-Command\"]\nRUN Get-Item x | Select-Object Name\n",
    );
    quiet(
        "DF045",
        "FROM debian\nRUN <<EOF\nset -o pipefail\ncurl x | tar -xz\nEOF\n",
    );
    fires("DF045", "FROM debian\nRUN <<EOF\ncurl x | tar -xz\nEOF\n");
    quiet("DF045", "FROM debian\nRUN yq eval '.a | .b' f.yml > out\n");
}

#[test]
fn df046_df047() {
    fires("DF046", "FROM debian\nRUN echo 'root:toor' | chpasswd\n");
    fires(
        "DF046",
        "FROM debian\nRUN useradd -m -p \"$(openssl passwd -1 pw)\" app\n",
    );
    fires("DF046", "FROM debian\nRUN passwd -d root\n");
    quiet(
        "DF046",
        "FROM debian\nRUN useradd -m -p '*' app && passwd -l app\n",
    );
    let f = fires(
        "DF047",
        "FROM debian\nRUN apt-get install -y --no-install-recommends vim curl netcat-openbsd\n",
    );
    assert!(
        f[0].message.contains("vim") && f[0].message.contains("netcat"),
        "{}",
        f[0].message
    );
    assert_eq!(f.len(), 1);
    quiet(
        "DF047",
        "FROM debian AS dbg\nRUN apt-get install -y gdb\nFROM debian\nCOPY --from=dbg /x /x\n",
    );
}

#[test]
fn windows_shell_is_not_read_as_posix() {
    let src = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\n\
RUN Invoke-WebRequest https://x -OutFile x.zip; cd C:\\x; sudo foo | Out-Null\n";
    for id in ["DF030", "DF031", "DF044", "DF045"] {
        quiet(id, src);
    }
    // ENV settings still count.
    fires(
        "DF040",
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n",
    );
}

/// Runs the RUN rules over the real-world corpus and prints counts per rule (measurement,
/// not an assertion): `cargo test -p plimsoll-dockerfile --lib corpus_counts -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus_counts() {
    let base = std::env::var_os("PLIMSOLL_CORPORA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
        });
    let dir = base.join("real-dockerfiles");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("SKIPPED: corpus not found at {}", dir.display());
        return;
    };
    let mut counts: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut files = 0;
    let start = std::time::Instant::now();
    let show = std::env::var("SHOW").ok();
    let mut times: std::collections::BTreeMap<&str, std::time::Duration> = Default::default();
    for e in entries.flatten() {
        let Ok(bytes) = std::fs::read(e.path()) else {
            continue;
        };
        let Ok(file) = crate::parse(&e.file_name().to_string_lossy(), &bytes) else {
            continue;
        };
        files += 1;
        let facts = AnalysisCache::new(&file);
        let policy = ImagePolicy::default();
        let cx = Context::new(&facts, &policy);
        let mut out = Vec::new();
        for rule in super::RULES {
            let t = std::time::Instant::now();
            rule.check(&cx, &mut out);
            *times.entry(rule.meta().id).or_default() += t.elapsed();
        }
        let mut seen: std::collections::BTreeSet<&str> = Default::default();
        for f in &out {
            let c = counts.entry(f.rule_id).or_default();
            c.0 += 1;
            if seen.insert(f.rule_id) {
                c.1 += 1;
            }
            if show.as_deref() == Some(f.rule_id) {
                println!("{}:{:?}: {}", file.path, f.line(), f.message);
            }
        }
    }
    println!("{files} files in {:?}", start.elapsed());
    for (id, (n, f)) in counts {
        println!("{id} {n} findings in {f} files");
    }
    for (id, t) in times {
        println!("{id} {t:?}");
    }
}

#[test]
#[ignore]
fn corpus_timing_parts() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/real-dockerfiles");
    let Ok(entries) = std::fs::read_dir(&base) else {
        return;
    };
    let files: Vec<crate::ast::Dockerfile> = entries
        .flatten()
        .filter_map(|e| crate::parse("x", &std::fs::read(e.path()).ok()?).ok())
        .collect();
    let t = std::time::Instant::now();
    for f in &files {
        let _ = stages::Stages::new(f);
    }
    println!("stages {:?}", t.elapsed());
    let t = std::time::Instant::now();
    for f in &files {
        let stages = stages::Stages::new(f);
        let _ = crate::analysis::run::instructions::compute(f, &stages);
    }
    println!("runs {:?}", t.elapsed());
    let t = std::time::Instant::now();
    for f in &files {
        let facts = AnalysisCache::new(f);
        let _ = facts.runs();
    }
    println!("runs+flat {:?}", t.elapsed());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Every RUN rule survives arbitrary RUN lines (shell, heredoc and exec form).
    #[test]
    fn rules_never_panic(body in r#"[a-z0-9 $'"`\\(){};|&<>#=\-!*/.]{0,80}"#, form in 0u8..3) {
        let src = match form {
            0 => format!("FROM debian\nRUN {body}\n"),
            1 => format!("FROM debian\nRUN <<EOF\n{body}\nEOF\n"),
            _ => format!("FROM debian\nRUN [\"sh\", \"-c\", {}]\n", serde_json::to_string(&body).unwrap_or_default()),
        };
        if let Ok(file) = crate::parse("Dockerfile", src.as_bytes()) {
            let facts = AnalysisCache::new(&file);
            let policy = ImagePolicy::default();
            let cx = Context::new(&facts, &policy);
            let mut out = Vec::new();
            for rule in super::RULES {
                rule.check(&cx, &mut out);
            }
        }
    }
}

#[test]
fn heredoc_forms() {
    // `RUN bash -o pipefail <<EOF`: the body is bash's script, with pipefail on.
    quiet(
        "DF045",
        "FROM debian\nRUN bash -o pipefail <<EOF\ncurl -fsSL https://x | tar -xz\nEOF\n",
    );
    fires(
        "DF045",
        "FROM debian\nRUN bash <<EOF\ncurl -fsSL https://x | tar -xz\nEOF\n",
    );
    // A Python heredoc is not shell.
    quiet(
        "DF030",
        "FROM python:3\nRUN python3 <<EOF\nprint('curl https://x | sh')\nEOF\n",
    );
    quiet(
        "DF030",
        "FROM python:3\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('true') | 0\nEOF\n",
    );
    // A heredoc written to a file is data, searched for settings.
    let src = "FROM fedora\nRUN cat <<EOF > /etc/dnf/dnf.conf\n[main]\nsslverify=0\nEOF\n";
    let f = fires("DF040", src);
    assert_eq!(f[0].location.span.unwrap().start.line, 4);
    // Prefix assignments are not the command.
    let f = fires(
        "DF036",
        "FROM debian\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata\n",
    );
    assert!(
        f[0].message.starts_with("`apt-get install`"),
        "{}",
        f[0].message
    );
}

#[test]
fn df030_binary_downloads_are_not_scripts() {
    quiet(
        "DF030",
        "FROM debian\nRUN curl -fsSLo /usr/local/bin/tini https://x/tini && chmod +x /usr/local/bin/tini && /usr/local/bin/tini --version\n",
    );
    fires("DF030", "FROM debian\nRUN wget https://x/nzb-1.0-bin-linux.run && chmod +x nzb-1.0-bin-linux.run && ./nzb-1.0-bin-linux.run\n");
}
