"""Reference (Python) of the closed forms / estimate ported to ScaleSimModel.swift."""
import math, csv, glob, os
def ceil(a,b): return -(-a//b)
def outs(n,f,s):
    span=n-f+s
    return 0 if span<=0 else ceil(span,s)
def touched(n,f,s):
    o=outs(n,f,s)
    if o==0: return 0
    last=(o-1)*s
    return (o-1)*f+min(f,n-last) if s>=f else min(n,last+f)
def validside(n,f,s):
    o=outs(n,f,s)
    if o==0: return 0
    return (o-1)*f+min(f,n-(o-1)*s)
class L:
    def __init__(s,H,W,R,S,Cin,M,sh,sw):
        s.H,s.W,s.R,s.S,s.Cin,s.M,s.sh,s.sw=H,W,R,S,Cin,M,sh,sw
        s.Eh,s.Ew=outs(H,R,sh),outs(W,S,sw); s.E=s.Eh*s.Ew; s.K=R*S*Cin
        s.U=touched(H,R,sh)*touched(W,S,sw)*Cin
        s.V=validside(H,R,sh)*validside(W,S,sw)*Cin
def folds(l,df,AR,AC):
    Sr,Sc={'os':(l.E,l.M),'ws':(l.K,l.M),'is':(l.K,l.E)}[df]
    return ceil(Sr,AR),ceil(Sc,AC)
def capacity(kb): return 50*((1024*kb)//100)
def filter_reads(l,df,AR,AC,kb):
    C=capacity(kb); K,M=l.K,l.M; rf,cf=folds(l,df,AR,AC)
    if df=='ws': return K*M
    if df=='is': return K*M if K*M<C else cf*K*M
    G=ceil(M,AC); U=K*AC; Ul=K*(M-(G-1)*AC); full=G-1
    # full groups in closed form
    if rf==1 or U>=C:
        per = U if rf==1 else rf*U
        tot=full*per; n=(full*per)%C
    else:
        j=ceil(C,U)-1
        r=(full-1)//j if full>=1 else 0
        tot=full*U+r*(C-j*U); n=(full-r*j)*U
    if Ul>=C: m=rf*Ul
    elif n+Ul<C or rf==1: m=Ul
    else: m=Ul+C-n
    return tot+m
def ofmap_writes(l,df,AR,AC,kb):
    Tw=1024*kb; D=Tw//2; W=AC; rf,cf=folds(l,df,AR,AC)
    N=l.E*l.M if df=='os' else rf*l.E*l.M
    if W>=D: return N, False
    return N+(W-1)*(1 if (D%W==0 and N>=D+2) else 0), True
def ifmap_exact(l,df,AR,AC,kb):
    C=capacity(kb); rf,cf=folds(l,df,AR,AC); U,V=l.U,l.V
    passes=1 if df=='is' else cf
    if U<C: return U
    if V==U: return passes*U
    if df=='ws' and 2*AR<=l.Cin:
        last=l.K-(rf-1)*AR
        vh=min(l.Eh,ceil(l.H-(l.R-1),l.sh)); vw=min(l.Ew,ceil(l.W-(l.S-1),l.sw))
        if last*vh*vw>=C: return cf*V
    return None
