use super::*;
use crate::parse;

fn df(src: &str) -> Dockerfile {
    parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn stages_and_bases() {
    let f = df("ARG BASE=alpine\nARG TAG=3.20\nFROM ${BASE}:${TAG} AS Build\nRUN make\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n");
    let a = Analysis::new(&f);
    assert_eq!(a.stages().len(), 3);
    let s0 = &a.stages()[0];
    assert_eq!(s0.name.as_deref(), Some("build"));
    assert_eq!((s0.from, s0.body.clone()), (2, 3..4));
    let Base::Image(r) = &s0.base else {
        panic!("{:?}", s0.base)
    };
    assert_eq!(r.original, "alpine:3.20");
    let Command::From { image, .. } = &f.instructions[s0.from].command else {
        panic!("stage 0 starts at a FROM")
    };
    assert_eq!(image.value, "${BASE}:${TAG}");
    assert_eq!(r.repository(), "library/alpine");
    assert_eq!(a.stages()[1].base, Base::Stage(0));
    assert_eq!(a.stages()[2].base, Base::Scratch);
    assert_eq!(a.final_stage().map(|s| s.index), Some(2));
    assert_eq!(a.stage_of(0), None);
    assert_eq!(a.stage_of(3), Some(0));
    assert_eq!(a.stage_of(6), Some(2));
    assert_eq!(a.stage_ref("BUILD"), Some(0));
    assert_eq!(a.stage_ref("1"), Some(1));
    assert_eq!(a.stage_ref("alpine"), None);
}

#[test]
fn global_args_need_redeclaration() {
    let f = df("ARG V=1\nFROM scratch\nRUN echo $V\nARG V\nRUN echo $V\n");
    let a = Analysis::new(&f);
    let before = a.expand(&f, 2, "$V");
    assert_eq!(before.value, "");
    assert_eq!(before.undefined, vec!["V"]);
    let after = a.expand(&f, 4, "$V");
    assert_eq!(after.value, "1");
    assert!(after.is_resolved());
}

#[test]
fn env_and_arg_order() {
    let f = df("FROM scratch\nENV A=1\nENV A=2 B=$A\nARG C=x D=${C}y\nRUN x\n");
    let a = Analysis::new(&f);
    assert_eq!(a.expand(&f, 4, "$A $B $C $D").value, "2 1 x xy");
}

#[test]
fn unknowns_stay_as_written() {
    let f = df("ARG VER\nFROM alpine:${VER:-3} AS a\nARG TARGETARCH\nENV P=/x:$PATH\nRUN echo $TARGETARCH $P\nFROM a\nRUN echo $P\n");
    let a = Analysis::new(&f);
    let from = &a.stages()[0].image;
    assert_eq!(from.value, "alpine:${VER:-3}");
    assert_eq!(from.unresolved, vec!["VER"]);
    let run = a.expand(&f, 4, "$TARGETARCH $P");
    assert_eq!(run.value, "$TARGETARCH $P");
    assert_eq!(run.unresolved, vec!["TARGETARCH", "P"]);
    // Inherited by the child stage.
    assert_eq!(a.expand(&f, 6, "$P").unresolved, vec!["P"]);
}

#[test]
fn inheritance_through_stages() {
    let f = df("FROM scratch AS a\nENV A=1\nARG B=2\nUSER app:${A}\nFROM a AS b\nRUN echo $A$B\nFROM b\nENV C=3\n");
    let a = Analysis::new(&f);
    assert_eq!(a.expand(&f, 5, "$A$B").value, "12");
    let u = a.effective_user(&f, 2).unwrap();
    assert_eq!(
        (u.raw.value.as_str(), u.expanded.value.as_str()),
        ("app:${A}", "app:1")
    );
    assert_eq!((u.instruction, u.stage), (3, 0));
    assert_eq!(a.ancestors(2), vec![1, 0]);
    let g = df("FROM alpine\nRUN id\n");
    assert!(Analysis::new(&g).effective_user(&g, 0).is_none());
}

#[test]
fn expansion_errors_are_reported() {
    let f = df("FROM scratch\nRUN x\n");
    let a = Analysis::new(&f);
    let e = a.expand(&f, 1, "${X:?need X}");
    assert!(e.error.as_deref().unwrap_or("").contains("need X"));
}
