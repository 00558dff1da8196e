// How the native backend should cut a large product between threads, measured with OpenBLAS
// alone: one single-threaded cblas_sgemm per part, the parts along rows or columns of C, on 1 or
// 2 threads, against the uncut product (GFLOP/s, best of 7) and whether any output's bits
// changed. It showed that one part per core is fastest (8 parts on 2 threads cost 5-30%), which
// native/gradiente.cc's cutProduct now does.
//
//   g++ -O2 -std=c++17 bench/gemm-cuts.cc -o /tmp/gemm-cuts -lopenblas -lpthread
//   /tmp/gemm-cuts 1024 1024 1024 && /tmp/gemm-cuts 256 784 1024
#include <cblas.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>
#include <random>
extern "C" void openblas_set_num_threads(int);
using namespace std;
static double now(){return chrono::duration<double>(chrono::steady_clock::now().time_since_epoch()).count();}
// form: 0 AB, 1 ABt, 2 AtB
void run(int form,const float*a,const float*b,float*c,int m,int k,int n,bool rows,int parts,int threads){
  bool tA=form==2,tB=form==1; int lda=tA?m:k, ldb=tB?k:n;
  int dim=rows?m:n; int chunk=(dim+parts-1)/parts; chunk=(chunk+31)/32*32; int np=(dim+chunk-1)/chunk;
  auto part=[&](int p){int from=p*chunk,to=min(dim,from+chunk);
    if(rows) cblas_sgemm(CblasRowMajor,tA?CblasTrans:CblasNoTrans,tB?CblasTrans:CblasNoTrans,to-from,n,k,1,tA?a+from:a+(size_t)from*k,lda,b,ldb,0,c+(size_t)from*n,n);
    else cblas_sgemm(CblasRowMajor,tA?CblasTrans:CblasNoTrans,tB?CblasTrans:CblasNoTrans,m,to-from,k,1,a,lda,tB?b+(size_t)from*k:b+from,ldb,0,c+from,n);};
  if(threads==1){for(int p=0;p<np;p++)part(p);return;}
  vector<thread> ts; for(int t=1;t<threads;t++) ts.emplace_back([&,t]{for(int p=t;p<np;p+=threads)part(p);});
  for(int p=0;p<np;p+=threads)part(p); for(auto&t:ts)t.join();
}
int main(int argc,char**argv){
  openblas_set_num_threads(1);
  int m=atoi(argv[1]),k=atoi(argv[2]),n=atoi(argv[3]);
  vector<float> a((size_t)m*k),b((size_t)k*n),c((size_t)m*n),ref((size_t)m*n);
  mt19937 g(1); normal_distribution<float> d; for(auto&x:a)x=d(g); for(auto&x:b)x=d(g);
  const char*fn[]={"AB","ABt","AtB"};
  for(int form=0;form<3;form++){
    run(form,a.data(),b.data(),ref.data(),m,k,n,true,1,1);
    struct Cfg{bool rows;int parts;int threads;} cfgs[]={{true,1,1},{true,2,1},{false,2,1},{true,8,1},{false,8,1},{true,2,2},{false,2,2},{true,4,2},{false,4,2},{true,8,2},{false,8,2}};
    for(auto cf:cfgs){
      double best=1e9; for(int r=0;r<7;r++){double t0=now(); run(form,a.data(),b.data(),c.data(),m,k,n,cf.rows,cf.parts,cf.threads); best=min(best,now()-t0);}
      int diff=0; for(size_t i=0;i<c.size();i++) if(memcmp(&c[i],&ref[i],4))diff++;
      printf("%s %dx%dx%d %s parts %d threads %d: %.1f GF  diff %d\n",fn[form],m,k,n,cf.rows?"rows":"cols",cf.parts,cf.threads,2.0*m*k*n/best/1e9,diff);
    }
  }
}
