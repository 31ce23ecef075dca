import csv, glob, os
def rows():
    out=[]
    def ld(t,sw=False):
        r=list(csv.reader(open(t)))[1:]
        res=[]
        for x in r:
            x=[c.strip() for c in x]
            if not x or not x[0]: continue
            v=[int(c) for c in x[1:] if c!='']
            res.append(v)
        return res
    sets=[('/tmp/ss-dram/runs','/tmp/ss-dram/topo.csv','c'),('/tmp/ss-dram/runs_topo','/tmp/ss-dram/topo.csv','c'),('/tmp/ss-dram/runs_topo2','/tmp/ss-dram/topo2.csv','c')]
    for rd,tp,kind in sets:
        layers=ld(tp)
        for d in sorted(glob.glob(rd+'/*/')):
            name=os.path.basename(d.rstrip('/')); df,arr,sr=name.split('_',2)
            AR,AC=map(int,arr.split('x')); kbi,kbf,kbo=map(int,sr.split('_'))
            for r in list(csv.reader(open(d+'DETAILED_ACCESS_REPORT.csv')))[1:]:
                lid=int(r[0]); v=[int(float(x)) for x in r[1:19]]
                H,W,R,S,Cin,M,st=layers[lid]
                out.append(dict(src=rd.split('/')[-1]+'/'+name,lid=lid,layer=(H,W,R,S,Cin,M,st,st),df=df,AR=AR,AC=AC,kb=(kbi,kbf,kbo),v=v))
    base='/tmp/ss-accept'
    for kind,fn in [('conv','conv.csv'),('conv_sw','conv_sw.csv'),('gemm','gemm.csv')]:
        layers=ld(f'{base}/inputs/{fn}')
        for d in sorted(glob.glob(f'{base}/ss_out/{kind}/*/')):
            name=os.path.basename(d.rstrip('/'))
            cfg=open(f'{base}/cfg/{name}.cfg').read()
            import re
            g=lambda k:re.search(k+r'\s*=\s*(\w+)',cfg).group(1)
            AR,AC=int(g('ArrayHeight')),int(g('ArrayWidth')); df=g('Dataflow')
            kb=(int(g('IfmapSramSzkB')),int(g('FilterSramSzkB')),int(g('OfmapSramSzkB')))
            for r in list(csv.reader(open(d+'DETAILED_ACCESS_REPORT.csv')))[1:]:
                lid=int(r[0]); v=[int(float(x)) for x in r[1:19]]
                x=layers[lid]
                if kind=='gemm': Mm,N,K=x; lay=(Mm,K,1,K,1,N,1,1)
                elif kind=='conv': lay=tuple(x[:7])+(x[6],)
                else: lay=tuple(x[:8])
                out.append(dict(src=f'accept/{kind}/{name}',lid=lid,layer=lay,df=df,AR=AR,AC=AC,kb=kb,v=v))
    return out
